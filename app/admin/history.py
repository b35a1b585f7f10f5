"""The change history in the admin: recent changes, a record's versions, restore.

A change's details show each field before and after; a record's translations (one JSON
column, app/models/translations.py) are shown one text per row, "name (Français)", as
the other fields are, rather than as the stored object.
"""

from datetime import date, datetime

from flask import abort, flash, has_request_context, redirect, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin import translating
from app.admin.base import SecureModelView
from app.admin.deleting import NOUNS
from app.dates import local_datetime, long_date
from app.extensions import db
from app.models import Change, ChangeAction, Danger, Role, SiteKind, Urgency
from app.models.history import CHECKED_SUMMARY, COMMAND_LINE, CannotRestore, restore

# Organisers see what happened to the content; who logged in, and changes to
# accounts, are for admins only.
ADMIN_ONLY_TABLES = ("users",)

HISTORY_ENDPOINT = "changes"
# The list's filters by record, as their query arguments (named_filter_urls): "Table", "Record".
TABLE_FILTER = "flt0_table_equals"
RECORD_FILTER = "flt1_record_equals"


def history_url(table: str | None = None, record_id=None) -> str:
    """The one address of the change history: recent changes, or with a table and a record's id,
    every change to that record (its versions, to restore). A template global too."""
    if table is None:
        return url_for(f"{HISTORY_ENDPOINT}.index_view")
    return url_for(
        f"{HISTORY_ENDPOINT}.index_view", **{TABLE_FILTER: table, RECORD_FILTER: record_id}
    )


# Stored words that are not a record's own (app/models/history.py, app/admin/auth.py), shown
# in the admin's language; what is stored stays as it was.
FAILED_LOGIN_AS = "Failed login as "
FAILED_LOGIN_NOBODY = "Failed login (no such account)"
SITE_SETTINGS = "Site settings"
# The history's name for records that have no noun in deleting.py.
OTHER_NOUNS = {"settings": _l("site settings")}
# Stored values that are a choice among words.
CHOICES = {"urgency": Urgency, "kind": SiteKind, "role": Role}
# Stored values that are a list of choices among words.
LISTS_OF_CHOICES = {"dangers": Danger}


# Logins and logouts are recorded on accounts: for admins only.
ACCOUNT_ACTIONS = (ChangeAction.login, ChangeAction.login_failed, ChangeAction.logout)


def action_choices() -> list[tuple[str, str]]:
    """The history's actions, by name, for the list's filter: those this organiser can see."""
    admin = (
        has_request_context() and current_user.is_authenticated and current_user.role == Role.admin
    )
    return [
        (action.value, action.label)
        for action in ChangeAction
        if admin or action not in ACCOUNT_ACTIONS
    ]


def record_noun(table: str) -> str:
    """What a table's records are called: "need", "report-back" (the table's name if none)."""
    if table in NOUNS:
        return str(NOUNS[table][0])
    return str(OTHER_NOUNS.get(table, table.replace("_", " ")))


def action_label(action: str) -> str:
    return ChangeAction(action).label if action in ChangeAction.__members__ else action


def shown_summary(summary: str) -> str:
    """A stored summary, its fixed words in the admin's language (the record's name as is)."""
    checked = CHECKED_SUMMARY.format("")
    if summary == SITE_SETTINGS:
        return _("Site settings")
    if summary.endswith(checked):
        name = summary[: -len(checked)]
        return _("%(name)s: checked, still right", name=shown_summary(name))
    if summary == FAILED_LOGIN_NOBODY:
        return _("Failed login (no such account)")
    if summary.startswith(FAILED_LOGIN_AS):
        return _("Failed login as %(name)s", name=summary[len(FAILED_LOGIN_AS) :])
    return summary


def shown_user_name(name: str) -> str:
    return _("command line") if name == COMMAND_LINE else name


def field_label(table: str, field: str, labels: dict) -> str:
    """A field as its admin view calls it (its list's or form's label); else its name."""
    return str(labels.get(table, {}).get(field) or field.replace("_", " "))


def shown_value(field: str, value):
    """A stored value as organisers read it: Yes/No, dates and times in words, choices by
    their names; text as it is."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field in CHOICES and isinstance(value, str) and value in CHOICES[field].__members__:
        return CHOICES[field](value).label
    if field in LISTS_OF_CHOICES and isinstance(value, list):
        words = LISTS_OF_CHOICES[field]
        return ", ".join(
            str(words(item).label) if item in words.__members__ else str(item) for item in value
        )
    if isinstance(value, str) and 10 <= len(value) <= 32 and value[:4].isdigit():
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return long_date(date.fromisoformat(value))
        return local_datetime(moment) if moment.tzinfo else value
    return value


def change_rows(change: Change, labels: dict | None = None) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field a change's versions hold, in the field's order
    by name, as organisers read them (labels: {table: {field: label}}); translations one row
    per language and field, read as text."""
    before, after = change.before or {}, change.after or {}
    labels = labels or {}
    rows = []
    for field in sorted(before.keys() | after.keys()):
        old, new = before.get(field), after.get(field)
        if field == translating.TRANSLATIONS and all(
            isinstance(value, dict | None) for value in (old, new)
        ):
            rows += translation_rows(old or {}, new or {}, change.record_type, labels)
        else:
            rows.append(
                (
                    field_label(change.record_type, field, labels),
                    shown_value(field, old),
                    shown_value(field, new),
                )
            )
    return rows


def translation_rows(
    before: dict, after: dict, table: str = "", labels: dict | None = None
) -> list[tuple[str, object, object]]:
    rows = []
    for language in sorted(before.keys() | after.keys()):
        old, new = before.get(language) or {}, after.get(language) or {}
        if not (isinstance(old, dict) and isinstance(new, dict)):
            rows.append((f"{translating.TRANSLATIONS} ({language})", old, new))
            continue
        for field in sorted(old.keys() | new.keys()):
            label = translating.with_language(field_label(table, field, labels or {}), language)
            rows.append((label, translated_text(old.get(field)), translated_text(new.get(field))))
    return rows


def changed_fields(change: Change, labels: dict | None = None) -> list[str]:
    """The fields a change changed, by their labels; for translations, which ones:
    "Name — Français"."""
    shown = []
    for field, language in translating.changed_fields(change):
        label = field_label(change.record_type, field, labels or {})
        shown.append(label if language is None else translating.with_language(label, language))
    return shown


def translated_text(entry) -> object:
    """A stored translation's text; None (shown "—") for none."""
    if isinstance(entry, dict) and "text" in entry:
        return entry["text"]
    return entry


class ChangeView(SecureModelView):
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    details_template = "admin/change_details.html"
    column_list = ["at", "user_name", "action", "record_type", "summary", "changed_fields"]
    column_labels = {
        "at": _l("When"),
        "user_name": _l("Who"),
        "action": _l("Action"),
        "record_type": _l("What"),
        "summary": _l("Record"),
        "changed_fields": _l("Fields"),
    }
    column_default_sort = [("at", True), ("id", True)]
    column_searchable_list = ["summary", "user_name"]
    # Their addresses are made from their English names: flt0_table_equals, flt1_record_equals.
    column_filters = [
        FilterEqual(Change.record_type, _l("Table")),
        IntEqualFilter(Change.record_id, _l("Record")),
        FilterEqual(Change.action, _l("Action"), options=lambda: action_choices()),
    ]
    column_formatters = {
        "at": lambda view, context, change, name: local_datetime(change.at),
        "user_name": lambda view, context, change, name: shown_user_name(change.user_name),
        "action": lambda view, context, change, name: action_label(change.action),
        "record_type": lambda view, context, change, name: record_noun(change.record_type),
        "summary": lambda view, context, change, name: shown_summary(change.summary),
        "changed_fields": lambda view, context, change, name: ", ".join(
            changed_fields(change, view.field_labels())
        ),
    }

    @expose("/")
    def index_view(self):
        # The action filter's options depend on who looks (admins see logins). Private, no
        # public hook: see NeedView.index_view (app/admin/needs.py).
        self._refresh_filters_cache()
        return super().index_view()

    def render(self, template, **kwargs):
        labels = self.field_labels()
        kwargs.setdefault("change_rows", lambda change: change_rows(change, labels))
        kwargs.setdefault("action_label", action_label)
        kwargs.setdefault("record_noun", record_noun)
        kwargs.setdefault("shown_summary", shown_summary)
        kwargs.setdefault("shown_user_name", shown_user_name)
        return super().render(template, **kwargs)

    def field_labels(self) -> dict[str, dict[str, str]]:
        """{table: {field: label}}: what each model's admin view calls its fields (its form's
        labels, then its list's), in the admin's language."""
        labels = {}
        for model, view in self.admin.model_views.items():
            table = getattr(model, "__tablename__", None)
            if not table:
                continue
            named = {**getattr(model, "LABELS", {}), **(view.column_labels or {})}
            for field, args in (view.form_args or {}).items():
                if isinstance(args, dict) and args.get("label"):
                    named[field] = args["label"]
            labels[table] = {field: str(label) for field, label in named.items()}
        return labels

    def get_query(self):
        return self._visible(super().get_query())

    def get_count_query(self):
        return self._visible(super().get_count_query())

    def _visible(self, query):
        if current_user.is_authenticated and current_user.role == Role.admin:
            return query
        return query.filter(Change.record_type.not_in(ADMIN_ONLY_TABLES))

    def get_one(self, id):
        change = super().get_one(id)
        hidden = change is not None and change.record_type in ADMIN_ONLY_TABLES
        return None if hidden and current_user.role != Role.admin else change

    @expose("/<id>/restore", methods=["POST"])
    def restore(self, id):
        change = self.get_one(id)  # None too when an organiser asks for an account's change
        if change is None:
            abort(404)
        try:
            record = restore(change)
            db.session.commit()
        except CannotRestore as problem:
            flash(str(problem), "error")
            return redirect(self.get_url(".details_view", id=change.id))
        except IntegrityError:
            db.session.rollback()
            flash(
                _(
                    "That version cannot be restored as it was: something it refers to no "
                    "longer exists, or another record now uses its name. Nothing was changed."
                ),
                "error",
            )
            return redirect(self.get_url(".details_view", id=change.id))
        flash(
            _(
                "Restored “%(record)s” to the version of %(when)s.",
                record=record,
                when=local_datetime(change.at),
            ),
            "success",
        )
        return redirect(history_url(change.record_type, change.record_id))

    def is_action_allowed(self, name):
        return False
