"""The change history in the admin: recent changes, a record's versions, restore."""

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin.base import SecureModelView
from app.dates import local_datetime
from app.extensions import db
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


class ChangeView(SecureModelView):
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    details_template = "admin/change_details.html"
    column_list = ["at", "user_name", "action", "record_type", "summary", "changed_fields"]
    column_labels = {
        "at": "When",
        "user_name": "Who",
        "record_type": "What",
        "summary": "Record",
        "changed_fields": "Fields",
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
        "changed_fields": lambda view, context, change, name: ", ".join(change.changed_fields),
    }

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
                "That version cannot be restored as it was: something it refers to no longer "
                "exists, or another record now uses its name. Nothing was changed.",
                "error",
            )
            return redirect(self.get_url(".details_view", id=change.id))
        flash(f"Restored “{record}” to the version of {local_datetime(change.at)}.", "success")
        return redirect(history_url(change.record_type, change.record_id))

    def is_action_allowed(self, name):
        return False
