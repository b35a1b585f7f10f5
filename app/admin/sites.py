"""Admin view for drop-off points, collections and sending addresses."""

from wtforms.validators import DataRequired, Length, Optional

from app.admin.base import SecureModelView
from app.admin.forms import NotBefore
from app.models import Site, SiteKind


class SiteView(SecureModelView):
    column_list = ["name", "kind", "open_from", "open_until", "is_active", "position"]
    column_labels = {**Site.LABELS, "is_active": "Shown"}
    column_default_sort = [("position", False), ("name", False)]
    column_filters = ["kind", "is_active"]
    form_columns = [
        "name",
        "kind",
        "address",
        "opening_hours",
        "open_from",
        "open_until",
        "booking_rule",
        "ship_to",
        "notes",
        "is_active",
        "position",
    ]
    form_choices = {"kind": SiteKind.choices()}
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=120)]},
        "open_from": {"description": "Optional date window, e.g. a collection from 17 Nov…"},
        "open_until": {
            "description": "…until 27 Nov. After this date the site leaves the public page.",
            "validators": [
                Optional(),
                NotBefore("open_from", "The last day cannot come before the first day."),
            ],
        },
        "booking_rule": {"description": "e.g. “Tell us what you bring and when, before you come.”"},
    }
