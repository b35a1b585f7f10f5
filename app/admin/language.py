"""Each organiser's admin language, /admin/language/: chosen by the organiser, saved in
User.language ("" for the site's default); app/languages.py reads it on organisers' pages."""

from flask import flash, g, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import ValidationError

from app.admin.auth import safe_next_path
from app.admin.base import SecuredView
from app.extensions import db
from app.languages import default_language, language_name, site_languages


def language_choices() -> list[tuple[str, str]]:
    """("", "The site's language (English)"), ("en", "English"), ("fr", "Français")."""
    default = _("The site’s language (%(name)s)", name=language_name(default_language()))
    return [("", default)] + [(code, language_name(code)) for code in site_languages()]


class LanguageForm(FlaskForm):
    language = RadioField(_l("Language of the admin"), validate_choice=False)

    def validate_language(self, field):
        field.data = field.data or ""
        if field.data not in dict(language_choices()):
            offered = ", ".join(language_name(code) for code in site_languages())
            raise ValidationError(
                _("This site speaks %(languages)s; choose one of them.", languages=offered)
            )


def language_url() -> str:
    """The choice of language, coming back to this page afterwards."""
    here = request.full_path if request.query_string else request.path
    return url_for("language.index", next=safe_next_path(here))


class LanguageView(SecuredView, BaseView):
    """The organiser's own choice, from the navbar of every admin page and the board (not a
    menu entry of its own)."""

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=["GET", "POST"])
    def index(self):
        form = LanguageForm(language=current_user.language or "")
        form.language.choices = language_choices()
        back = safe_next_path(request.values.get("next"))
        if request.method == "POST":
            if form.validate_on_submit():
                current_user.language = form.language.data
                db.session.commit()
                # The message in the language just chosen (the request had read the old one).
                g.pop("language", None)
                refresh()
                flash(
                    _("The admin’s language is now %(name)s.", name=self._chosen_name()), "success"
                )
                return redirect(back or url_for(".index"))
            if form.errors.get("csrf_token"):
                flash(_("The form had expired; nothing was changed. Try again."), "error")
        return self.render("admin/language.html", form=form, back=back)

    @staticmethod
    def _chosen_name() -> str:
        return language_name(current_user.language or default_language())
