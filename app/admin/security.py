"""The one place that decides who may use the admin.

Every admin view, the index included, mixes in SecuredView: anonymous users
are sent to log in (and brought back afterwards), logged-in users without the
role get 403.
"""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app.admin.auth import safe_next_path
from app.extensions import db
from app.models import Change, Role

# Primary keys are 32-bit integers on every database we support.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A primary key from a URL or form, or None when it cannot be one."""
    text = str(value)
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def get_or_404(model, value):
    id_ = parse_id(value)
    if id_ is None:
        abort(404)
    return db.get_or_404(model, id_)


class SecuredView:
    allowed_roles: tuple[Role, ...] = (Role.admin, Role.organiser)

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.allowed_roles

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            if request.method == "GET":
                target = request.full_path if request.query_string else request.path
            else:  # a form posted from an expired session: come back to its page
                target = safe_next_path(_referrer_path()) or url_for("admin.index")
            return redirect(url_for("auth.login", next=target))
        abort(403)


def conflict_message(record, seen_version: int) -> str:
    """What others changed since this organiser opened the form."""
    changes = Change.since_version(record.__tablename__, record.id, seen_version)
    who = sorted({change.user_name or "someone" for change in changes}) or ["someone"]
    fields = sorted({field for change in changes for field in change.changed_fields})
    what = f" ({', '.join(field.replace('_', ' ') for field in fields)})" if fields else ""
    return (
        f"{' and '.join(who)} changed “{record}”{what} while you were editing, so your "
        "changes were not saved. They are still in the form below: save again to replace "
        "the newer version with yours, or reload the page to start from it."
    )


def _referrer_path() -> str | None:
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SecureModelView(SecuredView, ModelView):
    """Defaults for every model view: phone-friendly, no modal dialogs, and bad
    input answered with a message rather than a database error."""

    page_size = 50
    can_view_details = False
    create_modal = False
    edit_modal = False
    can_set_page_size = False
    named_filter_urls = True

    edit_template = "admin/record_edit.html"

    # No lost updates: the edit form carries the version it was read at.
    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.version_seen = HiddenField()
        return form_class

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and not form.version_seen.data:
            form.version_seen.data = obj.version
        return form

    def update_model(self, form, model):
        seen = parse_id(form.version_seen.data)
        if seen is not None and seen != model.version:
            flash(conflict_message(model, seen), "error")
            # Saving again now replaces the newer version, knowingly.
            form.version_seen.data = model.version
            return False
        return super().update_model(form, model)

    def get_one(self, id):
        id_ = parse_id(id)
        return None if id_ is None else super().get_one(str(id_))

    def get_list(self, page, *args, **kwargs):
        return super().get_list(max(page or 0, 0), *args, **kwargs)

    def on_model_change(self, form, model, is_created):
        # Browsers send line breaks in text areas as CRLF; store them as LF, so
        # an unchanged form saves nothing new and plain text stays clean.
        for name in form.data:
            value = getattr(model, name, None)
            if isinstance(value, str) and "\r" in value:
                setattr(model, name, value.replace("\r\n", "\n").replace("\r", "\n"))

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleDataError):
            db.session.rollback()
            flash("Someone saved this record at the same moment, so your change was not "
                  "saved. Reload the page to see their version.", "error")  # fmt: skip
            return True
        if isinstance(exc, OperationalError):
            db.session.rollback()
            current_app.logger.error("Admin save failed, database unavailable: %s", exc.orig)
            flash("The database cannot be reached, so nothing was saved. Try again in a minute.",
                  "error")  # fmt: skip
            return True
        if isinstance(exc, SQLAlchemyError):
            db.session.rollback()
            current_app.logger.warning("Admin save refused by the database: %s", exc)
            flash(
                "That could not be saved: a value is too large or clashes with another "
                "record. Nothing was changed.",
                "error",
            )
            return True
        return super().handle_view_exception(exc)


class DashboardView(SecuredView, AdminIndexView):
    @expose("/")
    def index(self):
        from app.models import Need, Settings
        from app.models.types import utcnow

        settings = Settings.current()
        return self.render(
            "admin/dashboard.html",
            counts=Need.count_by_urgency(),
            settings=settings,
            needing_a_look=Need.count_needing_a_look(utcnow(), settings.check_after_days),
        )
