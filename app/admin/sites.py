"""Admin view for drop-off points, collections and sending addresses."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, Optional

from app.admin.base import SecureModelView
from app.admin.forms import NotBefore
from app.dates import long_date
from app.models import Site, SiteKind


class SiteView(SecureModelView):
    column_list = ["name", "kind", "open_from", "open_until", "is_active", "position"]
    column_labels = {
        "name": _l("Name"),
        "kind": _l("Kind"),
        "position": _l("Position"),
        **Site.LABELS,
        "is_active": _l("Shown"),
    }
    column_default_sort = [("position", False), ("name", False)]
    column_filters = ["kind", "is_active"]
    # The kinds in words, in the list and in its filters' options.
    column_choices = {"kind": SiteKind.choices()}
    column_formatters = {
        "open_from": lambda view, context, site, name: long_date(site.open_from),
        "open_until": lambda view, context, site, name: long_date(site.open_until),
    }
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
        "open_from": {"description": _l("Optional date window, e.g. a collection from 17 Nov…")},
        "open_until": {
            "description": _l("…until 27 Nov. After this date the site leaves the public page."),
            "validators": [
                Optional(),
                NotBefore("open_from", _l("The last day cannot come before the first day.")),
            ],
        },
        "booking_rule": {
            "description": _l("e.g. “Tell us what you bring and when, before you come.”")
        },
    }
