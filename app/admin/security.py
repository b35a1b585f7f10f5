"""The one place that decides who may use the admin.

Every admin view, the index included, mixes in SecuredView: anonymous users
are sent to log in (and brought back afterwards), logged-in users without the
role get 403.
"""

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from app.models import Role


class SecuredView:
    allowed_roles: tuple[Role, ...] = (Role.admin, Role.organiser)

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.allowed_roles

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("auth.login", next=target))
        abort(403)


class SecureModelView(SecuredView, ModelView):
    """Defaults for every model view: phone-friendly, no modal dialogs."""

    page_size = 50
    can_view_details = False
    create_modal = False
    edit_modal = False
    can_set_page_size = False


class DashboardView(SecuredView, AdminIndexView):
    @expose("/")
    def index(self):
        from app.models import Need, Settings

        return self.render(
            "admin/dashboard.html",
            counts=Need.count_by_urgency(),
            settings=Settings.current(),
        )
