"""Admin views for the needs list: items (one-tap urgency, bulk actions) and categories."""

from datetime import datetime

from flask import flash, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_admin.model.template import macro
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.admin.base import (
    MAX_ID,
    POSITION_RULE,
    SLUG_RULE,
    OrderedView,
    SecureModelView,
    back_to_list,
    changed_meanwhile,
    get_or_404,
    meanwhile,
    parse_id,
    quoted,
)
from app.admin.filters import ChoiceFilter
from app.dates import local_datetime
from app.extensions import db
from app.models import Category, Need, Site, Urgency


def _listed_at() -> datetime | None:
    try:
        listed_at = datetime.fromisoformat(request.form.get("listed_at", ""))
    except ValueError:
        return None
    return listed_at if listed_at.tzinfo else None


def _urgency_action(urgency: Urgency):
    """A bulk action shaped like Flask-Admin's own action_delete."""

    name = LazyString(lambda: _("Mark %(urgency)s", urgency=urgency.label.lower()))

    @action(f"mark_{urgency.value}", name)
    def mark(self, ids):
        try:
            valid_ids = [id_ for id_ in map(parse_id, ids) if id_ is not None]
            changed, skipped = Need.set_urgency(valid_ids, urgency, unchanged_since=_listed_at())
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d item(s) marked “%(urgency)s”.",
                    "%(num)d item(s) marked “%(urgency)s”.",
                    changed,
                    urgency=urgency.label,
                ),
                "success",
            )
            if skipped:
                names = ", ".join(quoted(need.name) for need in skipped)
                flash(
                    _(
                        "Left alone, because someone changed them after you opened the list: "
                        "%(names)s. Check them and try again.",
                        names=names,
                    ),
                    "error",
                )
        except Exception as exc:
            if not self.handle_view_exception(exc):
                raise

    return mark


class CategoryView(SecureModelView):
    column_list = ["name", "position", "description"]
    column_labels = {
        "name": _l("Name"),
        "slug": _l("Address"),
        "position": _l("Position"),
        "description": _l("Description"),
    }
    column_default_sort = [("position", False), ("name", False)]
    column_searchable_list = ["name"]
    form_columns = ["name", "slug", "position", "description"]
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=80)]},
        "slug": {
            "validators": [DataRequired(), Length(max=80), SLUG_RULE],
            "description": _l("Used in addresses; lower-case letters, digits and hyphens."),
        },
        "position": {"description": _l("Lower numbers come first on the list.")},
        "description": {"validators": [Length(max=200)]},
    }

    def delete_model(self, model):
        if model.needs:
            flash(
                ngettext(
                    "“%(name)s” still has %(num)d item(s). Move or delete them first; nothing "
                    "was deleted.",
                    "“%(name)s” still has %(num)d item(s). Move or delete them first; nothing "
                    "was deleted.",
                    len(model.needs),
                    name=model.name,
                ),
                "error",
            )
            return False
        return super().delete_model(model)


class NeedView(OrderedView):
    list_template = "admin/need_list.html"
    column_list = [
        "name",
        "urgency",
        "category",
        "site",
        "is_visible",
        "position",
        "updated_at",
        "updated_by",
    ]
    column_labels = {
        "name": _l("Name"),
        "urgency": _l("Urgency"),
        "category": _l("Category"),
        "site": _l("Site"),
        "details": _l("Details"),
        "quantity": _l("Quantity"),
        "unit": _l("Unit"),
        "category.name": _l("Category"),
        "site.name": _l("Site"),
        "is_visible": _l("Shown"),
        "updated_at": _l("Updated"),
        "updated_by": _l("Updated by"),
        "position": _l("Position"),
        **Need.LABELS,
    }
    column_default_sort = [
        ("category.position", False),
        ("category.name", False),
        ("position", False),
        ("name", False),
    ]
    column_searchable_list = ["name", "details"]
    column_filters = [
        FilterEqual(Need.urgency, _l("Urgency"), options=Urgency.choices()),
        ChoiceFilter(Need.category_id, _l("Category"), Category.choices),
        ChoiceFilter(Need.site_id, _l("Site"), Site.choices),
        BooleanEqualFilter(Need.is_visible, _l("Shown")),
    ]
    # Macros from admin/macros.html: one-tap urgency and reordering.
    column_formatters = {
        "urgency": macro("urgency_buttons"),
        "position": macro("order_buttons"),
        "updated_at": lambda view, context, model, name: local_datetime(model.updated_at),
    }
    form_columns = [
        "category",
        "name",
        "urgency",
        "details",
        "quantity",
        "received",
        "unit",
        "site",
        "is_visible",
        "needed_until",
        "position",
    ]
    form_choices = {"urgency": Urgency.choices()}
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=120)]},
        "details": {
            "description": (
                _l("Sizes, gender, condition, exclusions: e.g. “men’s S–M, new only, no jeans”.")
            )
        },
        "quantity": {
            "validators": [
                Optional(),
                NumberRange(min=1, max=MAX_ID, message=_l("Enter a number of 1 or more.")),
            ],
            "description": _l("Optional: how many you want."),
        },
        "received": {
            "validators": [
                NumberRange(min=0, max=MAX_ID, message=_l("Enter a number of 0 or more."))
            ],
            "description": _l(
                "How many have arrived: the public list shows what is still missing."
            ),
        },
        "unit": {
            "validators": [Length(max=40)],
            "description": _l("e.g. pairs, bags, boxes; one and several as “bag | bags”."),
        },
        "needed_until": {
            "description": _l(
                "Optional: after this date the item leaves the public list by itself."
            )
        },
        "is_visible": {"description": _l("Untick to hide the item from the public list.")},
        "position": {
            "description": _l("Order within its category; lower numbers first."),
            "validators": [POSITION_RULE],
        },
    }
    column_descriptions = {"urgency": _l("Tap a button to change the urgency at once.")}

    @expose("/")
    def index_view(self):
        # Category and site options change over time. Private, no public hook: Flask-Admin
        # reads filter options once (pallets-eco/flask-admin#526); BaseModelView.
        # _refresh_filters_cache (flask_admin/model/base.py, 2.2.1) reads them again.
        self._refresh_filters_cache()
        return super().index_view()

    action_mark_urgent = _urgency_action(Urgency.urgent)
    action_mark_needed = _urgency_action(Urgency.needed)
    action_mark_plenty = _urgency_action(Urgency.plenty)
    action_mark_do_not_send = _urgency_action(Urgency.do_not_send)

    @expose("/<need_id>/urgency", methods=["POST"])
    def set_urgency(self, need_id):
        need = get_or_404(Need, need_id)
        value = request.form.get("urgency", "")
        if value not in Urgency.__members__:
            flash(_("Choose one of the urgency buttons; nothing was changed."), "error")
            return back_to_list(self)
        if need.urgency == value:
            flash(
                _(
                    "“%(name)s” was already “%(urgency)s”.",
                    name=need.name,
                    urgency=need.urgency.label,
                ),
                "info",
            )
            return back_to_list(self)
        who = changed_meanwhile(need)
        if who:
            flash(
                meanwhile(
                    who,
                    _l(
                        "You changed “%(name)s” meanwhile (it is now “%(urgency)s”), so "
                        "nothing was changed. Tap again if you still want to change it."
                    ),
                    _l(
                        "%(who)s changed “%(name)s” meanwhile (it is now “%(urgency)s”), so "
                        "nothing was changed. Tap again if you still want to change it."
                    ),
                    name=need.name,
                    urgency=need.urgency.label,
                ),
                "error",
            )
            return back_to_list(self)
        try:
            Need.set_urgency([need.id], Urgency(value))
            db.session.commit()
        except Exception as exc:  # a save at the same moment: said in plain words
            if not self.handle_view_exception(exc):
                raise
            return back_to_list(self)
        flash(
            _(
                "“%(name)s” is now marked “%(urgency)s”.",
                name=need.name,
                urgency=need.urgency.label,
            ),
            "success",
        )
        return back_to_list(self)
