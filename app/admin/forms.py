"""Forms for organisers: logging in, the phone board's, and validators shared by admin forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.dates import FIRST_YEAR, LAST_YEAR, is_showable
from app.models import Need, Urgency
from app.models.users import email_problem
from app.numbers import LARGEST_INTEGER, typed_integer


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )
    submit = SubmitField(_l("Log in"))


class ValidEmail:
    """An address `email_problem` accepts: the same check as the CLI's `users create`."""

    def __call__(self, form, field):
        problem = email_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)


class SensibleDate:
    """A date (or date and time) in years the site can show (app/dates.py)."""

    def __call__(self, form, field):
        if field.data and not is_showable(field.data):
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )


class NotBefore:
    """A date that must not come before another field's date."""

    def __init__(self, other: str, message: str):
        self.other = other
        self.message = message

    def __call__(self, form, field):
        other = form[self.other].data
        if field.data and other and field.data < other:
            raise ValidationError(self.message)


class RequiredIf:
    """Required when a checkbox in the same form is ticked."""

    def __init__(self, flag: str, message: str):
        self.flag = flag
        self.message = message

    def __call__(self, form, field):
        if form[self.flag].data and not (field.data or "").strip():
            raise ValidationError(self.message)


class CountField(IntegerField):
    """A whole number typed on a phone, with a message in plain words when it is not one."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            self.data = typed_integer(valuelist[0])
            if self.data is None:
                raise ValueError(_("Enter a whole number, e.g. 100."))
        else:
            self.data = None


class NewNeedForm(FlaskForm):
    """Adding an item from the phone board: big choices, plain words, native pickers."""

    # The translated fields' own names, for their translations' labels (app/admin/board.py).
    LABELS = {"name": _l("What is needed"), "details": _l("Details")}

    name = StringField(
        LABELS["name"],
        validators=[DataRequired(_l("Say what is needed, e.g. Sleeping bags.")), Length(max=120)],
    )
    urgency = RadioField(
        _l("How urgent"),
        choices=Urgency.choices(),
        default=Urgency.needed.value,
        validators=[DataRequired(_l("Choose how urgent it is."))],
    )
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose a category."))])
    details = TextAreaField(
        _l("Details (sizes, condition, what not to bring)"), validators=[Length(max=1000)]
    )
    quantity = CountField(
        _l("How many are wanted (optional)"),
        validators=[
            Optional(),
            NumberRange(1, LARGEST_INTEGER, _l("Enter a number of 1 or more.")),
        ],
    )
    unit = StringField(_l("Counted in (optional: pairs, bags, boxes)"), validators=[Length(max=40)])
    site = SelectField(_l("Where to bring it"), validators=[Optional()])
    needed_until = DateField(
        _l("%(label)s (optional)", label=Need.LABELS["needed_until"]),
        validators=[Optional(), SensibleDate()],
    )
    is_visible = BooleanField(_l("Show it on the public list"), default=True)
    submit = SubmitField(_l("Add to the list"))


class PauseForm(FlaskForm):
    """The pause switch: on with a message, or off."""

    message = TextAreaField(_l("Message for donors"), validators=[Length(max=1000)])
    pause = StringField()  # "on" or "off": the value of the button tapped

    def validate_message(self, field):
        if self.pause.data == "on" and not (field.data or "").strip():
            raise ValidationError(
                _("Say why donations are paused, e.g. “Our warehouse is full until 8 December.”")
            )
