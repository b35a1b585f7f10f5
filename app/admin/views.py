"""Flask-Admin views for what organisers edit: needs, categories, sites, settings, users."""

from datetime import datetime

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_admin.model.template import macro
from flask_login import current_user, login_user
from wtforms import PasswordField
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.admin.auth import safe_next_path
from app.admin.filters import ChoiceFilter
from app.admin.forms import NotBefore, RequiredIf
from app.admin.security import MAX_ID, SecureModelView, get_or_404, parse_id
from app.dates import local_datetime
from app.extensions import db
from app.models import Category, Change, Need, Role, Settings, Site, SiteKind, Urgency
from app.models.settings import SETTINGS_ID
from app.models.users import normalise_email, password_problem

SLUG_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message="Use lower-case letters, digits and single hyphens, e.g. warm-clothes.",
)


POSITION_RULE = NumberRange(min=0, max=MAX_ID, message="Enter a number from 0 up.")


def _back_to_list(view):
    return redirect(safe_next_path(request.form.get("url")) or view.get_url(".index_view"))


def _listed_at() -> datetime | None:
    try:
        listed_at = datetime.fromisoformat(request.form.get("listed_at", ""))
    except ValueError:
        return None
    return listed_at if listed_at.tzinfo else None


def _urgency_action(urgency: Urgency):
    """A bulk action shaped like Flask-Admin's own action_delete."""

    @action(f"mark_{urgency.value}", f"Mark {urgency.label.lower()}")
    def mark(self, ids):
        try:
            valid_ids = [id_ for id_ in map(parse_id, ids) if id_ is not None]
            changed, skipped = Need.set_urgency(valid_ids, urgency, unchanged_since=_listed_at())
            db.session.commit()
            flash(f"{changed} item(s) marked “{urgency.label}”.", "success")
            if skipped:
                names = ", ".join(f"“{need.name}”" for need in skipped)
                flash(
                    f"Left alone, because someone changed them after you opened the list: "
                    f"{names}. Check them and try again.",
                    "error",
                )
        except Exception as exc:
            if not self.handle_view_exception(exc):
                raise

    return mark


class CategoryView(SecureModelView):
    column_list = ["name", "position", "description"]
    column_default_sort = [("position", False), ("name", False)]
    column_searchable_list = ["name"]
    form_columns = ["name", "slug", "position", "description"]
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=80)]},
        "slug": {
            "validators": [DataRequired(), Length(max=80), SLUG_RULE],
            "description": "Used in addresses; lower-case letters, digits and hyphens.",
        },
        "position": {"description": "Lower numbers come first on the list."},
        "description": {"validators": [Length(max=200)]},
    }

    def delete_model(self, model):
        if model.needs:
            flash(
                f"“{model.name}” still has {len(model.needs)} item(s). "
                "Move or delete them first; nothing was deleted.",
                "error",
            )
            return False
        return super().delete_model(model)


class OrderedView(SecureModelView):
    """A list whose rows move up and down among their siblings (see app.models.ordering)."""

    list_template = "admin/ordered_list.html"
    column_formatters = {"position": macro("order_buttons")}

    @expose("/<id>/move", methods=["POST"])
    def move(self, id):
        row = get_or_404(self.model, id)
        direction = request.form.get("direction", "")
        offset = {"up": -1, "down": 1}.get(direction)
        if offset is None or not row.move(offset):
            flash(f"“{row}” cannot move further that way.", "info")
            return _back_to_list(self)
        db.session.commit()
        flash(f"“{row}” moved {direction}.", "success")
        return _back_to_list(self)


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
        "category.name": "Category",
        "site.name": "Site",
        "is_visible": "Shown",
        "updated_at": "Updated",
        "updated_by": "Updated by",
        "needed_until": "Needed until",
        "position": "Order",
    }
    column_default_sort = [
        ("category.position", False),
        ("category.name", False),
        ("position", False),
        ("name", False),
    ]
    column_searchable_list = ["name", "details"]
    column_filters = [
        FilterEqual(Need.urgency, "Urgency", options=Urgency.choices()),
        ChoiceFilter(Need.category_id, "Category", Category.choices),
        ChoiceFilter(Need.site_id, "Site", Site.choices),
        BooleanEqualFilter(Need.is_visible, "Shown"),
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
                "Sizes, gender, condition, exclusions: e.g. “men’s S–M, new only, no jeans”."
            )
        },
        "quantity": {
            "validators": [
                Optional(),
                NumberRange(min=1, max=MAX_ID, message="Enter a number of 1 or more."),
            ],
            "description": "Optional: how many you want.",
        },
        "received": {
            "label": "Received so far",
            "validators": [NumberRange(min=0, max=MAX_ID, message="Enter a number of 0 or more.")],
            "description": "How many have arrived: the public list shows what is still missing.",
        },
        "unit": {"validators": [Length(max=40)], "description": "e.g. pairs, bags, boxes."},
        "needed_until": {
            "description": "Optional: after this date the item leaves the public list by itself."
        },
        "is_visible": {"description": "Untick to hide the item from the public list."},
        "position": {
            "description": "Order within its category; lower numbers first.",
            "validators": [POSITION_RULE],
        },
    }
    column_descriptions = {"urgency": "Tap a button to change the urgency at once."}

    @expose("/")
    def index_view(self):
        self._refresh_filters_cache()  # category and site options change over time
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
            flash("Choose one of the urgency buttons; nothing was changed.", "error")
            return _back_to_list(self)
        seen = parse_id(request.form.get("version", ""))
        if seen is not None and seen != need.version and need.urgency != value:
            changes = Change.since_version("needs", need.id, seen)
            who = ", ".join(sorted({change.user_name or "someone" for change in changes}))
            flash(
                f"{who or 'Someone'} changed “{need.name}” meanwhile (it is now "
                f"“{need.urgency.label}”), so nothing was changed. Tap again if you still "
                "want to change it.",
                "error",
            )
            return _back_to_list(self)
        try:
            Need.set_urgency([need.id], Urgency(value))
            db.session.commit()
        except Exception as exc:  # a save at the same moment: said in plain words
            if not self.handle_view_exception(exc):
                raise
            return _back_to_list(self)
        flash(f"“{need.name}” is now marked “{need.urgency.label}”.", "success")
        return _back_to_list(self)


class SiteView(SecureModelView):
    column_list = ["name", "kind", "open_from", "open_until", "is_active", "position"]
    column_labels = {
        "open_from": "Open from",
        "open_until": "Open until",
        "is_active": "Shown",
        "ship_to": "Sending by post or courier",
        "booking_rule": "Before you come",
    }
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


class SettingsView(SecureModelView):
    """One row: the list page goes straight to its edit form."""

    can_create = False
    can_delete = False
    column_list = ["group_name", "pause_enabled"]
    form_columns = [
        "group_name",
        "tagline",
        "contact_email",
        "donate_url",
        "donate_line",
        "pause_enabled",
        "pause_message",
        "check_after_days",
        "routes_intro",
    ]
    column_labels = {
        "check_after_days": "Ask for a look at items not checked for (days)",
        "routes_intro": "Introduction to the routes page",
        "donate_url": "Money donation link",
        "donate_line": "What money buys",
        "pause_enabled": "Pause banner on",
        "pause_message": "Pause banner message",
    }
    form_args = {
        "group_name": {"validators": [DataRequired(), Length(max=80)]},
        "tagline": {"validators": [Length(max=200)]},
        "contact_email": {
            "validators": [Optional(), Email("Enter a valid email address."), Length(max=254)]
        },
        "donate_url": {
            "validators": [
                Optional(),
                URL(message="Enter a full web address starting with https://"),
                Regexp(r"^https://", message="Use a secure address starting with https://"),
                Length(max=500),
            ]
        },
        "donate_line": {
            "validators": [Length(max=200)],
            "description": "e.g. “£10 buys a sleeping bag”.",
        },
        "pause_message": {
            "validators": [RequiredIf("pause_enabled", "Say why donations are paused.")],
            "description": "e.g. “Please don’t send anything until March: our warehouse is full.”",
        },
        "routes_intro": {"description": "Markdown, shown above the map on /routes."},
        "check_after_days": {
            "validators": [NumberRange(1, 365, "Enter a number of days, 1 to 365.")],
            "description": "The board shows such items first, so stale needs do not linger.",
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


class UserView(SecureModelView):
    """Admins only. Accounts are deactivated, never deleted, so history keeps its names."""

    allowed_roles = (Role.admin,)
    can_delete = False
    column_list = ["email", "display_name", "role", "is_active", "last_login_at"]
    column_labels = {"is_active": "Active", "last_login_at": "Last login"}
    column_searchable_list = ["email", "display_name"]
    column_filters = ["role", "is_active"]
    form_columns = ["email", "display_name", "role", "is_active", "new_password"]
    form_choices = {"role": [(role.value, role.label) for role in Role]}
    form_extra_fields = {
        "new_password": PasswordField(
            "New password",
            description="Leave empty to keep the current password. At least 10 characters.",
        )
    }
    form_args = {
        "email": {
            "validators": [DataRequired(), Email("Enter a valid email address.")],
            # Lower-cased before validation, so "uniqueness" ignores case.
            "filters": [lambda value: normalise_email(value) if value else value],
        },
        "display_name": {
            "validators": [DataRequired(), Length(max=80)],
            "description": "Shown to other organisers in the change history.",
        },
    }

    def on_form_prefill(self, form, id):
        form.new_password.data = ""

    def validate_form(self, form):
        valid = super().validate_form(form)
        if not valid or not hasattr(form, "new_password"):
            return valid
        password = form.new_password.data or ""
        creating = request.endpoint.endswith("create_view")
        if password or creating:
            problem = password_problem(password)
            if problem:
                form.new_password.errors = [*form.new_password.errors, problem]
                return False
        return True

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if form.new_password.data:
            model.set_password(form.new_password.data)
        if model.id == current_user.id and (model.role != Role.admin or not model.is_active):
            raise ValidationError("You cannot remove your own admin role or deactivate yourself.")

    def after_model_change(self, form, model, is_created):
        if model.id == current_user.id and form.new_password.data:
            # A new password ends the user's other sessions; keep this one.
            login_user(model)
