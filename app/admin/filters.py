"""List filters whose options come from the database (categories, sites)."""

from flask import has_app_context
from flask_admin.contrib.sqla.filters import FilterEqual


class ChoiceFilter(FilterEqual):
    """Equals one of the (id, name) pairs `choices()` returns when the list is shown.

    Flask-Admin reads filter options once, when the view is built; a view that
    uses this filter calls `_refresh_filters_cache()` before showing its list.
    A value that is not one of the choices is ignored, never sent to the database.
    """

    def __init__(self, column, name, choices):
        super().__init__(column, name)
        self.choices = choices

    def get_options(self, view):
        if not has_app_context():
            return []
        return [(str(value), label) for value, label in self.choices()]

    def validate(self, value):
        return has_app_context() and value in {str(value) for value, _ in self.choices()}

    def clean(self, value):
        # The ids arrive as text; PostgreSQL will not compare integer = text.
        return int(value)
