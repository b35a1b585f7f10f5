"""The change history in the admin: recent changes, a record's versions, restore.

A change's details show each field before and after; a record's translations (one JSON
column, app/models/translations.py) are shown one text per row, "name (Français)", as
the other fields are, rather than as the stored object.
"""

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin.base import SecureModelView
from app.dates import local_datetime
from app.extensions import db
from app.languages import language_name
from app.models import Change, ChangeAction, Role
from app.models.history import CannotRestore, restore

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


TRANSLATIONS = "translations"


def change_rows(change: Change) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field a change's versions hold, in the field's order
    by name; translations one row per language and field, read as text."""
    before, after = change.before or {}, change.after or {}
    rows = []
    for field in sorted(before.keys() | after.keys()):
        old, new = before.get(field), after.get(field)
        if field == TRANSLATIONS and all(isinstance(value, dict | None) for value in (old, new)):
            rows += translation_rows(old or {}, new or {})
        else:
            rows.append((field.replace("_", " "), old, new))
    return rows


def translation_rows(before: dict, after: dict) -> list[tuple[str, object, object]]:
    rows = []
    for language in sorted(before.keys() | after.keys()):
        old, new = before.get(language) or {}, after.get(language) or {}
        if not (isinstance(old, dict) and isinstance(new, dict)):
            rows.append((f"{TRANSLATIONS} ({language})", old, new))
            continue
        for field in sorted(old.keys() | new.keys()):
            label = f"{field.replace('_', ' ')} ({language_name(language)})"
            rows.append((label, translated_text(old.get(field)), translated_text(new.get(field))))
    return rows


def changed_fields(change: Change) -> list[str]:
    """The fields a change changed; for translations, which ones: "name (Français)"."""
    fields = [field for field in change.changed_fields if field != TRANSLATIONS]
    if TRANSLATIONS in change.changed_fields:
        before, after = (
            (change.before or {}).get(TRANSLATIONS),
            (change.after or {}).get(TRANSLATIONS),
        )
        if all(isinstance(value, dict | None) for value in (before, after)):
            rows = translation_rows(before or {}, after or {})
            fields += [label for label, old, new in rows if old != new] or [TRANSLATIONS]
        else:
            fields.append(TRANSLATIONS)
    return fields


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
        "record_type": _l("What"),
        "summary": _l("Record"),
        "changed_fields": _l("Fields"),
    }
    column_default_sort = [("at", True), ("id", True)]
    column_searchable_list = ["summary", "user_name"]
    column_filters = [
        FilterEqual(Change.record_type, "Table"),
        IntEqualFilter(Change.record_id, "Record"),
        FilterEqual(Change.action, "Action", options=[(a.value, a.value) for a in ChangeAction]),
    ]
    column_formatters = {
        "at": lambda view, context, change, name: local_datetime(change.at),
        "changed_fields": lambda view, context, change, name: ", ".join(changed_fields(change)),
    }

    def render(self, template, **kwargs):
        kwargs.setdefault("change_rows", change_rows)
        return super().render(template, **kwargs)

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
