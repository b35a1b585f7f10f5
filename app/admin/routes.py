"""Flask-Admin views for the routes section: routes, places, stages, figures."""

from wtforms import FloatField, SelectMultipleField
from wtforms.fields import ColorField
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.admin.base import SLUG_RULE, OrderedView, SecureModelView
from app.models import Danger

COLOUR_RULE = Regexp(r"^#[0-9a-fA-F]{6}$", message="Choose a colour, e.g. #b3261e.")
SOURCE_URL_RULES = [
    DataRequired("A figure needs the address of its source."),
    URL(message="Enter the full address of the source, starting with https://"),
    Regexp(r"^https?://", message="Enter the full address of the source, starting with https://"),
    Length(max=500),
]


class CheckboxListField(SelectMultipleField):
    """Tick boxes for a fixed vocabulary: works on a phone and without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RouteView(SecureModelView):
    column_list = ["name", "is_published", "position", "colour"]
    column_labels = {"is_published": "Published"}
    column_default_sort = [("position", False), ("name", False)]
    column_filters = ["is_published"]
    column_searchable_list = ["name", "summary"]
    form_columns = ["name", "slug", "summary", "body", "colour", "position", "is_published"]
    form_overrides = {"colour": ColorField}
    form_args = {
        "name": {
            "validators": [DataRequired(), Length(max=120)],
            "description": "Use the names the IOM Missing Migrants Project uses, e.g. "
            "“Central Mediterranean”, “Western Balkans”, “English Channel to the UK”.",
        },
        "slug": {"validators": [DataRequired(), Length(max=80), SLUG_RULE]},
        "summary": {"validators": [Length(max=300)], "description": "One line for the route card."},
        "body": {"description": "Markdown: **bold**, *italic*, [links](https://…), lists."},
        "colour": {"validators": [DataRequired(), COLOUR_RULE]},
        "is_published": {"description": "Unpublished routes are visible only here."},
    }
    form_widget_args = {"body": {"rows": 10}}


class PlaceView(SecureModelView):
    column_list = ["name", "country", "latitude", "longitude"]
    column_default_sort = [("country", False), ("name", False)]
    column_searchable_list = ["name", "country"]
    form_columns = ["name", "country", "latitude", "longitude"]
    # Flask-Admin 2.2.1 converts Float columns through Numeric, which Float no
    # longer inherits from in SQLAlchemy 2.1: without this the fields vanish.
    form_overrides = {"latitude": FloatField, "longitude": FloatField}
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=120)]},
        "country": {"validators": [Length(max=80)]},
        "latitude": {
            "validators": [
                InputRequired("Enter the latitude, e.g. 50.95 for Calais."),
                NumberRange(-90, 90, "Latitude must be between -90 and 90 (north is positive)."),
            ],
            "description": "Degrees north, e.g. 50.95 for Calais.",
        },
        "longitude": {
            "validators": [
                InputRequired("Enter the longitude, e.g. 1.86 for Calais."),
                NumberRange(
                    -180, 180, "Longitude must be between -180 and 180 (east is positive)."
                ),
            ],
            "description": "Degrees east (west is negative), e.g. 1.86 for Calais.",
        },
    }


def _different_places(form, field):
    if field.data is not None and field.data == form.from_place.data:
        raise ValidationError("A stage must end somewhere other than where it starts.")


class StageView(OrderedView):
    column_list = ["route", "from_place", "to_place", "travel", "position"]
    column_labels = {"from_place": "From", "to_place": "To", "travel": "How people travel"}
    column_default_sort = [("route.position", False), ("position", False), ("id", False)]
    column_filters = ["route"]
    form_columns = [
        "route",
        "from_place",
        "to_place",
        "travel",
        "dangers",
        "narrative",
        "position",
    ]
    form_overrides = {"dangers": CheckboxListField}
    form_args = {
        "route": {"validators": [DataRequired("Choose the route this stage belongs to.")]},
        "from_place": {"validators": [DataRequired("Choose where the stage starts.")]},
        "to_place": {
            "validators": [DataRequired("Choose where the stage ends."), _different_places]
        },
        "travel": {
            "validators": [Length(max=160)],
            "description": "e.g. on foot; by boat; hidden in lorries.",
        },
        "dangers": {"choices": Danger.choices(), "label": "Dangers on this stage"},
        "narrative": {"description": "Markdown: what happens on this stage."},
        "position": {"description": "Order within the route; lower numbers first."},
    }
    form_widget_args = {"narrative": {"rows": 8}}


class FigureView(SecureModelView):
    column_list = ["label", "value", "is_minimum", "period", "source_name", "route", "stage"]
    column_labels = {"is_minimum": "At least", "source_name": "Source"}
    column_searchable_list = ["label", "source_name"]
    form_columns = [
        "route",
        "stage",
        "label",
        "value",
        "unit",
        "is_minimum",
        "period",
        "source_name",
        "source_url",
        "position",
    ]
    form_args = {
        "label": {
            "validators": [DataRequired(), Length(max=200)],
            "description": "What the number counts, e.g. “people recorded dead or missing”.",
        },
        "value": {"validators": [InputRequired("Enter the number."), NumberRange(min=0)]},
        "period": {"validators": [Length(max=60)], "description": "e.g. 2014–2024"},
        "is_minimum": {"description": "Tick when the number is a minimum estimate."},
        "source_name": {
            "validators": [DataRequired("A figure needs the name of its source."), Length(max=200)]
        },
        "source_url": {"validators": SOURCE_URL_RULES},
    }

    def validate_form(self, form):
        valid = super().validate_form(form)
        if hasattr(form, "route") and bool(form.route.data) == bool(form.stage.data):
            # Optional() stops a field's own validators when it is empty, so
            # this rule, about two fields at once, is checked here.
            form.route.errors = [
                *form.route.errors,
                "Attach the figure to a route or to a stage (one of them).",
            ]
            return False
        return valid
