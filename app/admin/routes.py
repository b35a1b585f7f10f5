"""Flask-Admin views for the routes section: routes, places, stages, figures."""

from flask_admin.helpers import is_form_submitted
from flask_admin.model.base import filter_char_re, filter_compact_re
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FloatField, SelectField, SelectMultipleField
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
from app.extensions import db
from app.languages import SOURCE_LANGUAGE
from app.maps import EAST, NORTH, PALETTE, SOUTH, WEST, free_colour
from app.models import Danger, Route

FULL_SOURCE = _l("Enter the full address of the source, starting with https://")
SOURCE_URL_RULES = [
    DataRequired(_l("A figure needs the address of its source.")),
    URL(message=FULL_SOURCE),
    Regexp(r"^https://", message=FULL_SOURCE),
    Length(max=500),
]


def _source_named_in_words(form, field):
    # A "." or a "-" passes DataRequired but names nobody a reader could look up.
    if field.data and sum(character.isalpha() for character in field.data) < 2:
        raise ValidationError(_("Name the source in words, e.g. “IOM Missing Migrants Project”."))


class CheckboxListField(SelectMultipleField):
    """Tick boxes for a fixed vocabulary: works on a phone and without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PaletteField(SelectField):
    """A route's colour, one of the palette's named colours (app/maps.py): colours that
    readers with the common kinds of colour blindness can tell apart."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["choices"] = list(PALETTE.items())
        super().__init__(label, validators, validate_choice=False, **kwargs)

    def pre_validate(self, form):
        # Said beside the field in the organiser's words, not SelectField's "Not a valid choice".
        if self.data not in PALETTE:
            raise ValidationError(
                _(
                    "Choose one of the colours in the list: they stay distinct for "
                    "colour-blind readers."
                )
            )


class RouteView(SecureModelView):
    column_list = ["name", "is_published", "position", "colour"]
    column_labels = {
        "name": _l("Name"),
        "slug": _l("Address"),
        "summary": _l("Summary"),
        "body": _l("Text"),
        "colour": _l("Colour"),
        "position": _l("Position"),
        "is_published": _l("Published"),
    }
    column_default_sort = [("position", False), ("name", False)]
    column_filters = ["is_published"]
    column_searchable_list = ["name", "summary"]
    form_columns = ["name", "slug", "summary", "body", "colour", "position", "is_published"]
    form_overrides = {"colour": PaletteField}
    form_args = {
        "name": {
            "validators": [DataRequired(), Length(max=120)],
            "description": _l(
                "Use the names the IOM Missing Migrants Project uses, e.g. “Central "
                "Mediterranean”, “Western Balkans”, “English Channel to the UK”."
            ),
        },
        "slug": {"validators": [DataRequired(), Length(max=80), SLUG_RULE]},
        "summary": {
            "validators": [Length(max=300)],
            "description": _l("One line for the route card."),
        },
        "body": {"description": _l("Markdown: **bold**, *italic*, [links](https://…), lists.")},
        "colour": {
            "description": _l("Each route needs its own colour, so readers can tell them apart.")
        },
        "is_published": {"description": _l("Unpublished routes are visible only here.")},
    }
    form_widget_args = {"body": {"rows": 10}}

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if not is_form_submitted():  # a new route is offered a colour no other route has
            form.colour.data = free_colour(set(db.session.scalars(db.select(Route.colour))))
        return form


def compass(degrees: float, positive: str, negative: str) -> str:
    """A latitude or longitude as a map's reader says it: 8°N, 12°W."""
    return f"{abs(degrees):g}°{positive if degrees >= 0 else negative}"


class OnTheMap:
    """Refuses a latitude or longitude outside the area the routes map shows (app/maps.py):
    such a place would take its routes' lines off the map. (No number: FloatField says so.)
    `points()` gives the compass points for the positive and negative side, `message(low,
    high)` the sentence naming the range, both in the organiser's language."""

    def __init__(self, low: float, high: float, points, message):
        self.low, self.high, self.points, self.message = low, high, points, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            points = self.points()
            raise ValidationError(
                self.message(compass(self.low, *points), compass(self.high, *points))
            )


_latitude_on_the_map = OnTheMap(
    SOUTH,
    NORTH,
    lambda: (pgettext("compass", "N"), pgettext("compass", "S")),
    lambda south, north: _(
        "The map shows from %(south)s to %(north)s: enter a latitude in that range.",
        south=south,
        north=north,
    ),
)
_longitude_on_the_map = OnTheMap(
    WEST,
    EAST,
    lambda: (pgettext("compass", "E"), pgettext("compass", "W")),
    lambda west, east: _(
        "The map shows from %(west)s to %(east)s: enter a longitude in that range.",
        west=west,
        east=east,
    ),
)


class PlaceView(SecureModelView):
    column_list = ["name", "country", "latitude", "longitude"]
    column_default_sort = [("country", False), ("name", False)]
    column_searchable_list = ["name", "country"]
    form_columns = ["name", "country", "latitude", "longitude"]
    column_labels = {
        "name": _l("Name"),
        "country": _l("Country"),
        "latitude": _l("Latitude"),
        "longitude": _l("Longitude"),
    }
    # Flask-Admin 2.2.1 converts Float columns through Numeric, which Float no
    # longer inherits from in SQLAlchemy 2.1: without this the fields vanish.
    form_overrides = {"latitude": FloatField, "longitude": FloatField}
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=120)]},
        "country": {"validators": [Length(max=80)]},
        "latitude": {
            "validators": [
                InputRequired(_l("Enter the latitude, e.g. 50.95 for Calais.")),
                _latitude_on_the_map,
            ],
            "description": _l("Degrees north, e.g. 50.95 for Calais."),
        },
        "longitude": {
            "validators": [
                InputRequired(_l("Enter the longitude, e.g. 1.86 for Calais.")),
                _longitude_on_the_map,
            ],
            "description": _l("Degrees east (west is negative), e.g. 1.86 for Calais."),
        },
    }


def _different_places(form, field):
    if field.data is not None and field.data == form.from_place.data:
        raise ValidationError(_("A stage must end somewhere other than where it starts."))


class StageView(OrderedView):
    column_list = ["route", "from_place", "to_place", "travel", "position"]
    column_labels = {
        "route": _l("Route"),
        "from_place": _l("From"),
        "to_place": _l("To"),
        "travel": _l("How people travel"),
        "narrative": _l("What happens"),
        "position": _l("Position"),
        "route.name": _l("Route"),
        "route.position": _l("Route position"),
    }
    column_default_sort = [("route.position", False), ("position", False), ("id", False)]
    # By the route's name or its place in the list; not by every column of routes.
    column_filters = ["route.name", "route.position"]

    def get_filter_arg(self, index, flt):
        # The addresses these filters had when Flask-Admin named them "Routes / Name" and
        # "Routes / Position": flt0_routes_name_contains, flt0_routes_position_equals.
        with force_locale(SOURCE_LANGUAGE):
            words = f"routes {flt.column.name} {flt.operation()}".lower()
        return filter_compact_re.sub("_", filter_char_re.sub("", words))

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
        "route": {"validators": [DataRequired(_l("Choose the route this stage belongs to."))]},
        "from_place": {"validators": [DataRequired(_l("Choose where the stage starts."))]},
        "to_place": {
            "validators": [DataRequired(_l("Choose where the stage ends.")), _different_places]
        },
        "travel": {
            "validators": [Length(max=160)],
            "description": _l("e.g. on foot; by boat; hidden in lorries."),
        },
        "dangers": {"choices": Danger.choices(), "label": _l("Dangers on this stage")},
        "narrative": {"description": _l("Markdown: what happens on this stage.")},
        "position": {"description": _l("Order within the route; lower numbers first.")},
    }
    form_widget_args = {"narrative": {"rows": 8}}


class FigureView(SecureModelView):
    column_list = ["label", "value", "is_minimum", "period", "source_name", "route", "stage"]
    column_labels = {
        "route": _l("Route"),
        "stage": _l("Stage"),
        "label": _l("Label"),
        "value": _l("Value"),
        "unit": _l("Unit"),
        "period": _l("Period"),
        "source_url": _l("Source address"),
        "position": _l("Position"),
        "is_minimum": _l("At least"),
        "source_name": _l("Source"),
    }
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
            "description": _l("What the number counts, e.g. “people recorded dead or missing”."),
        },
        "value": {"validators": [InputRequired(_l("Enter the number.")), NumberRange(min=0)]},
        "period": {
            # A figure is always shown with the time it covers: a number without a date misleads.
            "validators": [
                DataRequired(_l("Enter the period the number covers, e.g. 2024.")),
                Length(max=60),
            ],
            "description": _l("The period the number covers, e.g. 2024 or 2014–2024."),
        },
        "is_minimum": {"description": _l("Tick when the number is a minimum estimate.")},
        "source_name": {
            "validators": [
                DataRequired(_l("A figure needs the name of its source.")),
                _source_named_in_words,
                Length(max=200),
            ]
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
                _("Attach the figure to a route or to a stage (one of them)."),
            ]
            return False
        return valid
