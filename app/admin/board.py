"""The organisers' phone board, /admin/board/: the everyday work on the needs list.

One light page (its own small stylesheet, no script, no Bootstrap) that works
on a weak signal: the items grouped by urgency and category, each a card with
its four urgency buttons, "still right", and what has arrived; the pause
switch; a phone-friendly form to add an item. Every action is a plain POST
form that comes back to the same card with a short message beside it. An
action based on an outdated view of the item is refused in plain words that
name who changed it meanwhile; every action is recorded in the change history
(app/models/history.py) like any other save.
"""

from collections import defaultdict

from flask import (
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import SQLAlchemyError

from app.admin.base import MAX_ID, SecuredView, changed_meanwhile, get_or_404, meanwhile
from app.admin.forms import NewNeedForm, PauseForm
from app.admin.translating import (
    optional_like,
    other_languages,
    store,
    translation_name,
    with_language,
)
from app.extensions import db
from app.languages import language_name
from app.models import Category, Need, Settings, Site, Urgency
from app.models.types import utcnow
from app.numbers import typed_integer

# The large steps offered for what arrived (the typed number covers the rest).
RECEIVED_STEPS = (-10, -1, 1, 10)


class BoardView(SecuredView, BaseView):
    @expose("/")
    def index(self):
        settings = Settings.current()
        board = Need.organisers_board(utcnow(), settings.check_after_days)
        return render_template(
            "admin/board.html",
            board=board,
            settings=settings,
            pause_form=pause_form(settings),
            messages=card_messages(),
            steps=RECEIVED_STEPS,
            Urgency=Urgency,
        )

    @expose("/<need_id>/urgency", methods=["POST"])
    def urgency(self, need_id):
        need = get_or_404(Need, need_id)
        value = request.form.get("urgency", "")
        if value not in Urgency.__members__:
            return self.back(
                need, _("Choose one of the four urgency buttons; nothing was changed.")
            )
        urgency = Urgency(value)
        if need.urgency == urgency:
            return self.back(
                need,
                _("“%(name)s” was already “%(urgency)s”.", name=need.name, urgency=urgency.label),
                ok=True,
            )
        who = changed_meanwhile(need)
        if who:
            return self.back(
                need,
                meanwhile(
                    who,
                    _l(
                        "You changed “%(name)s” after this page was shown (it is now "
                        "“%(urgency)s”), so nothing was changed. Tap again if you still want "
                        "it changed."
                    ),
                    _l(
                        "%(who)s changed “%(name)s” after this page was shown (it is now "
                        "“%(urgency)s”), so nothing was changed. Tap again if you still want "
                        "it changed."
                    ),
                    name=need.name,
                    urgency=need.urgency.label,
                ),
            )
        need.urgency = urgency
        return self.save(
            need, _("“%(name)s” is now “%(urgency)s”.", name=need.name, urgency=urgency.label)
        )

    @expose("/<need_id>/checked", methods=["POST"])
    def checked(self, need_id):
        need = get_or_404(Need, need_id)
        who = changed_meanwhile(need)
        if who:
            return self.back(
                need,
                meanwhile(
                    who,
                    _l(
                        "You changed “%(name)s” after this page was shown, so it was not "
                        "marked as checked. Look at it again, then tap “Still right”."
                    ),
                    _l(
                        "%(who)s changed “%(name)s” after this page was shown, so it was not "
                        "marked as checked. Look at it again, then tap “Still right”."
                    ),
                    name=need.name,
                ),
            )
        need.checked_at = utcnow()
        return self.save(need, _("“%(name)s”: checked, still right.", name=need.name))

    @expose("/<need_id>/received", methods=["POST"])
    def received(self, need_id):
        need = get_or_404(Need, need_id)
        field = f"need-{need.id}-received"
        total = received_total(need, request.form)
        if isinstance(total, str):
            return self.back(need, total, field=field)
        who = changed_meanwhile(need)
        if who:
            return self.back(
                need,
                ngettext(
                    "You changed “%(name)s” after this page was shown (now %(num)s "
                    "received), so nothing was recorded. Enter it again if it is still to be "
                    "added.",
                    "You changed “%(name)s” after this page was shown (now %(num)s "
                    "received), so nothing was recorded. Enter it again if it is still to be "
                    "added.",
                    need.received,
                    name=need.name,
                )
                if who.is_you
                else ngettext(
                    "%(who)s changed “%(name)s” after this page was shown (now %(num)s "
                    "received), so nothing was recorded. Enter it again if it is still to be "
                    "added.",
                    "%(who)s changed “%(name)s” after this page was shown (now %(num)s "
                    "received), so nothing was recorded. Enter it again if it is still to be "
                    "added.",
                    need.received,
                    who=who,
                    name=need.name,
                ),
                field=field,
            )
        need.received = total
        return self.save(
            need,
            ngettext(
                "“%(name)s”: %(num)s received so far.",
                "“%(name)s”: %(num)s received so far.",
                total,
                name=need.name,
            ),
        )

    @expose("/pause", methods=["POST"])
    def pause(self):
        settings = db.session.get(Settings, 1) or Settings.current()
        if request.form.get("pause") not in ("on", "off"):
            flash(
                _("Tap “Pause donations” or “Open donations again”; nothing was changed."),
                "pause-error",
            )
            return redirect(url_for(".index", _anchor="pause"))
        turning_on = request.form["pause"] == "on"
        form = pause_form(settings, posted=True)
        if not form.validate_on_submit():
            flash(" ".join(map(str, form.errors.get("message", [_("Try again.")]))), "pause-error")
            return redirect(url_for(".index", _anchor="pause"))
        who = changed_meanwhile(settings)
        if who:
            flash(
                meanwhile(
                    who,
                    _l(
                        "You changed the pause switch or the settings after this page was "
                        "shown, so nothing was changed. Look again and tap once more."
                    ),
                    _l(
                        "%(who)s changed the pause switch or the settings after this page was "
                        "shown, so nothing was changed. Look again and tap once more."
                    ),
                ),
                "pause-error",
            )
            return redirect(url_for(".index", _anchor="pause"))
        settings.pause_enabled = turning_on
        if turning_on:
            save_pause_message(form, settings)
        db.session.add(settings)
        if self.commit():
            flash(
                _("Donations are paused: every page now leads with your message.")
                if turning_on
                else _("Donations are open again."),
                "pause",
            )
        else:
            flash(_("That could not be saved; nothing was changed. Try again."), "pause-error")
        return redirect(url_for(".index", _anchor="pause"))

    @expose("/new", methods=["GET", "POST"])
    def new(self):
        form = new_need_form()
        form.category.choices = [("", _("Choose a category"))] + [
            (str(id_), name) for id_, name in Category.choices()
        ]
        form.site.choices = [("", _("No particular place"))] + [
            (str(id_), name) for id_, name in Site.choices()
        ]
        if form.validate_on_submit():
            need = Need(
                category_id=int(form.category.data),
                name=form.name.data.strip(),
                urgency=Urgency(form.urgency.data),
                details=(form.details.data or "").strip(),
                quantity=form.quantity.data,
                unit=(form.unit.data or "").strip(),
                # Blank (even a pasted form feed: Optional() lets any whitespace through
                # unchecked) means no particular place; anything else is one of the choices.
                site_id=int(form.site.data) if (form.site.data or "").strip() else None,
                needed_until=form.needed_until.data,
                is_visible=form.is_visible.data,
            )
            for name, language, field in form.translation_fields:
                store(need, language, field, form[name].data)
            db.session.add(need)
            if self.commit():
                flash(
                    _(
                        "“%(name)s” is on the list as “%(urgency)s”.",
                        name=need.name,
                        urgency=need.urgency.label,
                    ),
                    f"need-{need.id}",
                )
                return redirect(url_for(".index", _anchor=f"need-{need.id}"))
            form.name.errors = [_("That could not be saved; nothing was added. Try again.")]
        return render_template(
            "admin/board_new.html",
            form=form,
            Urgency=Urgency,
            default_language=current_app.config["DEFAULT_LANGUAGE"],
        )

    # Helpers ------------------------------------------------------------------

    def save(self, need: Need, message: str):
        if self.commit():
            return self.back(need, message, ok=True)
        return self.back(
            need,
            _(
                "Someone saved this item at the same moment, or the database could not be "
                "reached, so nothing was changed. Try again."
            ),
        )

    @staticmethod
    def commit() -> bool:
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            return False
        return True

    @staticmethod
    def back(need: Need, message: str, ok: bool = False, field: str | None = None):
        """Back to the item's card, with the message beside it (or beside one of its fields)."""
        kind = field or f"need-{need.id}"
        flash(message, kind if ok else f"{kind}-error")
        return redirect(url_for(".index", _anchor=f"need-{need.id}"))


def pause_form(settings: Settings, posted: bool = False) -> PauseForm:
    """The pause message in every language of the site: the original (`message`), then a
    field for each translation (`message__fr`), filled from the settings unless posted;
    form.languages is [(field name, language)], the original first."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    languages = other_languages()
    fields = {
        translation_name("message", language): optional_like(PauseForm.message)
        for language in languages
    }
    form_class = type("TranslatedPauseForm", (PauseForm,), fields)
    if posted:
        form = form_class()
    else:
        data = {
            translation_name("message", language): settings.translation(language, "pause_message")
            for language in languages
        }
        form = form_class(message=settings.pause_message, **data)
    form.languages = [("message", default)] + [
        (translation_name("message", language), language) for language in languages
    ]
    form.language_names = {language: language_name(language) for _name, language in form.languages}
    for name, language in form.languages:
        form[name].label.text = _(
            "Message for donors — %(language)s", language=language_name(language)
        )
    return form


def save_pause_message(form: PauseForm, settings: Settings) -> None:
    """The original and each translation, each only when it changed (so that a translation
    left alone after its original changed stays marked as outdated)."""
    original = form.message.data.strip()
    if original != settings.pause_message:
        settings.pause_message = original
    for name, language in form.languages[1:]:
        store(settings, language, "pause_message", form[name].data)


NEW_NEED_TRANSLATED = ("name", "details")


def new_need_form() -> NewNeedForm:
    """The quick-add form with the name and details in each of the site's other languages
    (optional): form.translation_fields [(field name, language, translated field)], and each
    original labelled with its language."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    fields, translations = {}, []
    for field in NEW_NEED_TRANSLATED:
        for language in other_languages():
            name = translation_name(field, language)
            fields[name] = optional_like(getattr(NewNeedForm, field))
            translations.append((name, language, field))
    form = type("TranslatedNewNeedForm", (NewNeedForm,), fields)()
    form.translation_fields = translations
    form.translations_of = {}
    if translations:
        for field in NEW_NEED_TRANSLATED:
            form[field].label.text = with_language(form[field].label.text, default)
        for name, language, field in translations:
            form[name].label.text = _(
                "%(label)s — %(language)s (optional)",
                label=NewNeedForm.LABELS[field],
                language=language_name(language),
            )
            form.translations_of.setdefault(field, []).append((name, language))
    return form


def received_total(need: Need, form) -> int | str:
    """The new total of what arrived, from a step button or a typed number; or the reason
    the input cannot be saved."""
    step, typed = form.get("add", ""), form.get("received", "")
    number = typed_integer(step or typed)
    if number is None:
        return _(
            "Enter how many have arrived so far as a whole number, e.g. 20; nothing was saved."
        )
    total = need.received + number if step else number
    if total < 0:
        return _("That would be fewer than none arrived; nothing was saved.")
    if total > MAX_ID:
        return _("That number is too large; nothing was saved.")
    return total


def card_messages() -> dict[str, list[tuple[bool, str]]]:
    """This page's messages, by where they belong: {"need-3": [(is_error, text)], …}; those
    about no card (a save in the full admin that came back here) under "board"."""
    messages = defaultdict(list)
    for category, text in get_flashed_messages(with_categories=True):
        place, error = (category[:-6], True) if category.endswith("-error") else (category, False)
        if not place.startswith(("need-", "pause")):
            place, error = "board", category in ("error", "danger")
        messages[place].append((error, text))
    return messages
