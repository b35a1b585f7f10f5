"""Content in more than one language, with no schema change per language.

A translatable model (Translated) lists the fields organisers translate in TRANSLATED;
the columns themselves hold the original, written in the site's default language, and
one JSON column holds every translation:

    {"fr": {"name": {"text": "Sacs de couchage", "source": "3f2a…"}}}

`source` is a fingerprint of the original the translation was made from: when the
original changes, the translation is marked as older than it ("the English changed since
this was translated") until an organiser saves a new one or confirms it.

Because translations are a column of the record, the change history records them and a
restore brings them back with the rest, backups carry them, and the mirror knows a
page that read the record depends on them, all without knowing about languages.
"""

import hashlib
from typing import ClassVar

from flask import current_app
from sqlalchemy import JSON, event, text
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from app.models.text import clean_text


class LocalText(str):
    """Text in a language; `is_fallback` when it is the original shown for want of a
    translation (pages mark it with its own `lang`)."""

    language: str
    is_fallback: bool

    def __new__(cls, value: str = "", language: str = "", is_fallback: bool = False):
        self = super().__new__(cls, value)
        self.language, self.is_fallback = language, is_fallback
        return self


def fingerprint(original: str | None) -> str:
    return hashlib.sha256((original or "").encode()).hexdigest()[:16]


class Translated:
    TRANSLATED: ClassVar[tuple[str, ...]] = ()
    # Fields whose translation is not shown once the original changed since it was made:
    # where an old text would mislead (a pause message), the new original is better.
    CURRENT_ONLY: ClassVar[tuple[str, ...]] = ()

    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    def local(self, field: str, language: str) -> LocalText:
        """The field in this language; the original (marked a fallback) when untranslated."""
        original = getattr(self, field) or ""
        default = current_app.config["DEFAULT_LANGUAGE"]
        if language == default:
            return LocalText(original, language)
        translation = self.translation(language, field)
        if translation and not (field in self.CURRENT_ONLY and self.is_outdated(language, field)):
            return LocalText(translation, language)
        return LocalText(original, default, is_fallback=bool(original))

    def translation(self, language: str, field: str) -> str:
        entry = (self.translations or {}).get(language, {}).get(field)
        return entry["text"] if entry else ""

    def is_outdated(self, language: str, field: str) -> bool:
        """The original changed since this translation was made from it."""
        entry = (self.translations or {}).get(language, {}).get(field)
        return bool(entry) and entry["source"] != fingerprint(getattr(self, field))

    def set_translation(self, language: str, field: str, translation: str | None) -> None:
        """Store a translation made from the field's current original ("" removes it)."""
        if field not in self.TRANSLATED:
            raise ValueError(f"{type(self).__name__}.{field} is not translated")
        translations = {code: dict(fields) for code, fields in (self.translations or {}).items()}
        fields = translations.setdefault(language, {})
        translation = (translation or "").strip()
        if translation:
            source = fingerprint(getattr(self, field))
            fields[field] = {"text": translation, "source": source}
        else:
            fields.pop(field, None)
        self.translations = {code: fields for code, fields in translations.items() if fields}

    def confirm_translations(self, language: str) -> None:
        """An organiser checked this language's translations against the current original."""
        for field in self.TRANSLATED:
            if self.translation(language, field):
                self.set_translation(language, field, self.translation(language, field))


def translations_problem(value, fields: tuple[str, ...]) -> str | None:
    """Why a stored value is not translations of these fields (None when it is)."""
    if not isinstance(value, dict):
        return "must be an object of languages"
    for language, entries in value.items():
        if not (isinstance(language, str) and language.isalpha() and len(language) <= 8):
            return "has a language code that is not one"
        if not isinstance(entries, dict):
            return f"{language}: must be an object of fields"
        for field, entry in entries.items():
            if field not in fields:
                return f"{language}: {field!r} is not a translated field"
            if not (
                isinstance(entry, dict)
                and set(entry) == {"text", "source"}
                and all(isinstance(part, str) for part in entry.values())
            ):
                return f"{language}.{field}: must be a text and its source"
    return None


def clean_translations(value):
    """Translations as any text is stored (app/models/text.py): without control characters."""
    if not isinstance(value, dict):
        return value
    return {
        language: {
            field: {**entry, "text": clean_text(entry["text"])}
            if isinstance(entry, dict) and isinstance(entry.get("text"), str)
            else entry
            for field, entry in entries.items()
        }
        if isinstance(entries, dict)
        else entries
        for language, entries in value.items()
    }


@event.listens_for(Mapper, "mapper_configured")
def clean_translations_as_they_are_set(mapper, cls):
    if issubclass(cls, Translated):
        event.listen(cls.translations, "set", _cleaned, retval=True)


def _cleaned(target, value, oldvalue, initiator):
    return clean_translations(value)
