"""Admin view for the site-wide settings: the group's name and place, contact, money link,
pause banner."""

from flask import redirect
from flask_admin import expose
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from app.admin.base import SecureModelView
from app.admin.forms import RequiredIf, ValidEmail
from app.extensions import db
from app.models import Place, Settings
from app.models.settings import SETTINGS_ID


class SettingsView(SecureModelView):
    """One row: the list page goes straight to its edit form."""

    can_create = False
    can_delete = False
    column_list = ["group_name", "pause_enabled"]
    form_columns = [
        "group_name",
        "tagline",
        "home_place",
        "contact_email",
        "donate_url",
        "donate_line",
        "volunteer_page",
        "pause_enabled",
        "pause_message",
        "check_after_days",
        "routes_intro",
    ]
    column_labels = {
        "group_name": _l("Group name"),
        "tagline": _l("Tagline"),
        "home_place": _l("The group’s place"),
        "contact_email": _l("Contact email"),
        "check_after_days": _l("Ask for a look at items not checked for (days)"),
        "routes_intro": _l("Introduction to the routes page"),
        "donate_url": _l("Money donation link"),
        "donate_line": _l("What money buys"),
        "volunteer_page": _l("Volunteering page"),
        "pause_enabled": _l("Pause banner on"),
        "pause_message": _l("Pause banner message"),
    }
    form_args = {
        "group_name": {"validators": [DataRequired(), Length(max=80)]},
        "tagline": {"validators": [Length(max=200)]},
        "contact_email": {"validators": [Optional(), ValidEmail(), Length(max=254)]},
        "donate_url": {
            "validators": [
                Optional(),
                URL(message=_l("Enter a full web address starting with https://")),
                Regexp(r"^https://", message=_l("Use a secure address starting with https://")),
                Length(max=500),
            ]
        },
        "home_place": {
            "query_factory": lambda: db.session.scalars(
                select(Place).order_by(Place.name, Place.country)
            ).all(),
            "description": _l("Named first on the routes maps, e.g. Calais."),
        },
        "donate_line": {
            "validators": [Length(max=200)],
            "description": _l("e.g. “£10 buys a sleeping bag”."),
        },
        "volunteer_page": {
            "description": _l(
                "The page that tells people how to come and help, e.g. “Get involved”. The "
                "routes pages link to it under “What you can do” while it is published."
            ),
        },
        "pause_message": {
            "validators": [RequiredIf("pause_enabled", _l("Say why donations are paused."))],
            "description": _l(
                "e.g. “Please don’t send anything until March: our warehouse is full.”"
            ),
        },
        "routes_intro": {"description": _l("Markdown, shown above the map on /routes.")},
        "check_after_days": {
            "validators": [NumberRange(1, 365, _l("Enter a number of days, 1 to 365."))],
            "description": _l("The board shows such items first, so stale needs do not linger."),
        },
    }

    @expose("/")
    def index_view(self):
        return redirect(self.get_url(".edit_view", id=SETTINGS_ID))

    def get_one(self, id):
        if str(id) != str(SETTINGS_ID):
            return None
        settings = db.session.get(Settings, SETTINGS_ID)
        if settings is None:
            settings = Settings.current()
            db.session.add(settings)
            db.session.commit()
        return settings

    def get_save_return_url(self, model, is_created=False):
        return self.get_url(".edit_view", id=SETTINGS_ID)
