"""Forms for organisers: logging in, and validators shared by admin forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError


class LoginForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter your email address."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )
    submit = SubmitField("Log in")


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
