"""The admin's first page: counts by urgency, items needing a look, the pause switch."""

from flask_admin import AdminIndexView, expose

from app.admin.base import SecuredView
from app.models import Need, Settings
from app.models.types import utcnow


class DashboardView(SecuredView, AdminIndexView):
    @expose("/")
    def index(self):
        settings = Settings.current()
        return self.render(
            "admin/dashboard.html",
            counts=Need.count_by_urgency(),
            settings=settings,
            needing_a_look=Need.count_needing_a_look(utcnow(), settings.check_after_days),
        )
