"""Admin view for organisers' accounts: admins only; accounts are deactivated, never deleted."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Length, ValidationError

from app.admin.base import SecureModelView
from app.admin.forms import ValidEmail
from app.admin.language import language_choices
from app.dates import local_datetime
from app.models import Role
from app.models.users import normalise_email, password_problem

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class UserView(SecureModelView):
    """Admins only. Accounts are deactivated, never deleted, so history keeps its names."""

    allowed_roles = (Role.admin,)
    can_delete = False
    column_list = ["email", "display_name", "role", "is_active", "last_login_at"]
    column_labels = {
        "email": _l("Email"),
        "display_name": _l("Display name"),
        "role": _l("Role"),
        "is_active": _l("Active"),
        "last_login_at": _l("Last login"),
    }
    column_searchable_list = ["email", "display_name"]
    column_filters = ["role", "is_active"]
    # The roles in words, in the list and in its filters' options.
    column_choices = {"role": ROLE_CHOICES}
    column_formatters = {
        "last_login_at": lambda view, context, user, name: local_datetime(user.last_login_at),
    }
    form_columns = ["email", "display_name", "role", "is_active", "language", "new_password"]
    form_choices = {"role": ROLE_CHOICES}
    form_overrides = {"language": SelectField}
    form_extra_fields = {
        "new_password": PasswordField(
            _l("New password"),
            description=_l("Leave empty to keep the current password. At least 10 characters."),
        )
    }
    form_args = {
        "email": {
            "validators": [DataRequired(), ValidEmail()],
            # Lower-cased before validation, so "uniqueness" ignores case.
            "filters": [lambda value: normalise_email(value) if value else value],
        },
        "language": {
            "label": _l("Admin language"),
            "description": _l("They can also change it themselves, from any admin page."),
        },
        "display_name": {
            "validators": [DataRequired(), Length(max=80)],
            "description": _l("Shown to other organisers in the change history."),
        },
    }

    def create_form(self, obj=None):
        return with_languages(super().create_form(obj))

    def edit_form(self, obj=None):
        return with_languages(super().edit_form(obj))

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
            raise ValidationError(
                _("You cannot remove your own admin role or deactivate yourself.")
            )

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        if model.id == current_user.id and form.new_password.data:
            # A new password ends the user's other sessions; keep this one. `model` is the
            # very object current_user is (one session, one identity map), so it still holds
            # this login's token (User.login_token, not a column) for the new cookie.
            # tests/test_security_sessions.py: test_changing_your_own_password_keeps_this_session…
            login_user(model)


def with_languages(form):
    """The language choices of the site as it is configured (read per request)."""
    form.language.choices = language_choices()
    return form
