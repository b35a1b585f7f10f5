"""Content translations in the admin's forms, for every model with TRANSLATED fields.

SecureModelView gives each translated field, for each of the site's other languages, a
field of the same kind right after the original ("Name — Français"), filled from the
record's translations and saved back into them (app/models/translations.py); the form
shows the pairs side by side on a wide screen, stacked on a phone (admin.css). A
translation older than its original is marked, and one tick per language ("The French
still matches the English") confirms them without retyping. A translation is stored
anew only when its text changed, so that editing only the original leaves it marked.
"""

from babel import Locale
from flask import current_app
from flask_admin.helpers import get_form_data
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, Optional

from app.languages import current_language, language_name

SEPARATOR = "__"  # name__fr: the French of `name`
CONFIRM = "confirm_translations"  # confirm_translations__fr


class TranslationMixin:
    """A translation is not an attribute of the record: the view saves it, not populate_obj."""

    def populate_obj(self, obj, name):
        pass


class TranslationString(TranslationMixin, StringField):
    pass


class TranslationArea(TranslationMixin, TextAreaField):
    pass


class ConfirmField(TranslationMixin, BooleanField):
    pass


def other_languages() -> tuple[str, ...]:
    default = current_app.config["DEFAULT_LANGUAGE"]
    return tuple(code for code in current_app.config["LANGUAGES"] if code != default)


def in_original(text) -> Markup:
    """What organisers wrote (in the site's default language) inside the admin's own sentences:
    marked with its language when the admin speaks another (`<span lang="en">Tents</span>`),
    as it is otherwise. A template global."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    if current_language() == default:
        return Markup.escape(text)
    return Markup('<span lang="{}">{}</span>').format(default, text)


def original_lang() -> str:
    """` lang="en"` for an element holding what organisers wrote, when the admin speaks another
    language than the site's default; nothing otherwise. A template global."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    return "" if current_language() == default else Markup(' lang="{}"').format(default)


def translation_name(field: str, language: str) -> str:
    return f"{field}{SEPARATOR}{language}"


def language_in_words(code: str) -> str:
    """A language's name in the admin's language: "English", or "anglais" in French."""
    return Locale.parse(code).get_display_name(current_language()) or code


def with_translation_fields(form_class, model, creating: bool):
    """`form_class` with the translation fields of `model`'s translated fields in it (none
    when the model translates nothing or the site has one language)."""
    fields = [
        field
        for field in getattr(model, "TRANSLATED", ())
        if isinstance(getattr(form_class, field, None), UnboundField)
    ]
    languages = other_languages()
    if not fields or not languages:
        return form_class
    attributes = {}
    for field in fields:
        original = getattr(form_class, field)
        column = model.__table__.columns.get(field)
        length = getattr(getattr(column, "type", None), "length", None)
        kind = (
            TranslationArea
            if issubclass(original.field_class, TextAreaField)
            else TranslationString
        )
        validators = [Optional(), Length(max=length)] if length else [Optional()]
        for language in languages:
            unbound = kind(validators=validators)
            # Right after the original: fields are ordered by creation, then by name.
            unbound.creation_counter = original.creation_counter
            attributes[translation_name(field, language)] = unbound
    if not creating:
        for language in languages:
            attributes[translation_name(CONFIRM, language)] = ConfirmField()
    return type(f"Translated{form_class.__name__}", (form_class,), attributes)


def prepare(form, model, record) -> None:
    """Labels in the admin's language, values from the record (unless posted), and what
    the template needs: form.translation_pairs {original: [(name, language)]},
    form.translation_fields (every such name), form.outdated {name: message},
    form.original_language."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    original_name = language_in_words(default)
    form.translation_pairs, form.translation_fields, form.outdated = {}, set(), {}
    form.original_language = default
    form.base_labels = {}  # {translated field: its label without a language}
    posted = get_form_data() is not None
    for field in getattr(model, "TRANSLATED", ()):
        label = str(form[field].label.text) if field in form else ""
        form.base_labels[field] = label
        for language in other_languages():
            name = translation_name(field, language)
            if name not in form:
                continue
            translation = form[name]
            translation.label.text = with_language(label, language)
            # The original, with its language too ("Name — English"; its lang in the template).
            form[field].label.text = with_language(label, default)
            form.translation_pairs.setdefault(field, []).append((name, language))
            form.translation_fields.add(name)
            if record is None:
                continue
            if not posted:
                translation.data = record.translation(language, field)
            if record.is_outdated(language, field):
                form.outdated[name] = _(
                    "The %(original)s changed since this was translated: check it.",
                    original=original_name,
                )
    for language in other_languages():
        name = translation_name(CONFIRM, language)
        if name in form:
            form[name].label.text = _(
                "The %(language)s still matches the %(original)s",
                language=language_in_words(language),
                original=original_name,
            )
            form.translation_fields.add(name)


def save(form, record) -> None:
    """The translations the form changed, and the confirmations it ticked (before the flush)."""
    for field in getattr(record, "TRANSLATED", ()):
        for language in other_languages():
            name = translation_name(field, language)
            if name in form:
                store(record, language, field, form[name].data)
    for language in other_languages():
        name = translation_name(CONFIRM, language)
        if name in form and form[name].data:
            record.confirm_translations(language)


def store(record, language: str, field: str, typed: str | None) -> None:
    """A translation as typed in a form (line breaks as LF), stored only when it changed: one
    left alone after its original changed keeps its mark as older than the original."""
    text = (typed or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if text != record.translation(language, field):
        record.set_translation(language, field, text)


def optional_like(original: UnboundField) -> UnboundField:
    """A field for a translation of a plain form's `original` field: the same kind and the
    same length limit, but optional."""
    lengths = [rule for rule in original.kwargs.get("validators", ()) if isinstance(rule, Length)]
    return original.field_class(validators=[Optional(), *lengths])


TRANSLATIONS = "translations"  # the column that holds them (app/models/translations.py)


def changed_translations(change) -> list[tuple[str, str]]:
    """(language, field) of each translation a change (app/models/history.py) changed."""
    before = (change.before or {}).get(TRANSLATIONS) or {}
    after = (change.after or {}).get(TRANSLATIONS) or {}
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return []
    changed = []
    for language in sorted(before.keys() | after.keys()):
        old, new = before.get(language) or {}, after.get(language) or {}
        if not (isinstance(old, dict) and isinstance(new, dict)):
            continue
        for field in sorted(old.keys() | new.keys()):
            if old.get(field) != new.get(field):
                changed.append((language, field))
    return changed


def changed_fields(change) -> list[tuple[str, str | None]]:
    """What a change changed, in order: (field, None) for a column, (field, language) for
    each translation ("translations" itself when its stored value cannot be read so)."""
    changed = []
    for field in change.changed_fields:
        translations = changed_translations(change) if field == TRANSLATIONS else []
        changed += [(name, language) for language, name in translations] or [(field, None)]
    return changed


def with_language(label, language: str) -> str:
    """A field's label with the language of its text: "Name — Français"."""
    return f"{label} — {language_name(language)}"
