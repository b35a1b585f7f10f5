"""What every admin view shares: the one access rule and the model-view defaults.

Every admin view, the index included, mixes in SecuredView: anonymous users
are sent to log in (and brought back afterwards), logged-in users without the
role get 403. SecureModelView adds what every model view does (no lost
updates, bad input answered beside the field, deletions confirmed), and the
rules several subjects use (slugs, positions, ordered lists) are here too.
The views themselves live in one module per subject, as the models do.
"""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.helpers import get_form_data
from flask_admin.model.template import macro
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from sqlalchemy import Unicode, cast, or_
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import DateField, DateTimeField, HiddenField, IntegerField
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange, Regexp

from app.admin import translating
from app.admin.auth import safe_next_path
from app.admin.deleting import ConfirmedDeletion
from app.admin.filters import LIKE_ESCAPE, guard_filter, like_pattern
from app.admin.forms import SensibleDate
from app.extensions import db
from app.languages import SOURCE_LANGUAGE
from app.models import Change, Role
from app.numbers import LARGEST_INTEGER, whole_number
from app.outages import first_line

MAX_ID = LARGEST_INTEGER
# Flask-Admin's query argument for "where to go back to" after a save or a delete.
RETURN_ADDRESS = "url"
# Longer searches are cut: each word is a LIKE on every searchable column.
SEARCH_LENGTH = 100


def parse_id(value) -> int | None:
    """A primary key from a URL or form, or None when it cannot be one."""
    return whole_number(value, least=1)


def get_or_404(model, value):
    id_ = parse_id(value)
    if id_ is None:
        abort(404)
    return db.get_or_404(model, id_)


class SecuredView:
    allowed_roles: tuple[Role, ...] = (Role.admin, Role.organiser)

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        blueprint.before_request(_forget_unsafe_return_address)
        return blueprint

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.allowed_roles

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            if request.method == "GET":
                target = request.full_path if request.query_string else request.path
            else:  # a form posted from an expired session: come back to its page
                target = safe_next_path(_referrer_path()) or url_for("admin.index")
            return redirect(url_for("auth.login", next=target))
        abort(403)


class Who(str):
    """Who changed a record: a name to put in a message, or `is_you` (a message of its own:
    “You changed…”, as “Vous avez modifié…” is not “Maya a modifié…” with another name)."""

    is_you = False


def changed_meanwhile(record) -> Who | None:
    """Who changed `record` after the organiser's copy was shown (the form carries the
    version it showed); a request without that version counts as outdated."""
    seen_version = parse_id(request.form.get("version", ""))
    if seen_version == record.version:
        return None
    if seen_version is None:
        return Who(_("Someone"))
    return who_changed(Change.since_version(record.__tablename__, record.id, seen_version))


def who_changed(changes) -> Who:
    """“You”, “Maya”, “Maya and Sam”: who made `changes` (someone, when no entry says)."""
    if changes and all(change.user_id == current_user.id for change in changes):
        you = Who(_("You"))
        you.is_you = True
        return you
    someone = _("someone")
    names = sorted({change.user_name or someone for change in changes}) or [someone]
    who = (
        names[0]
        if len(names) == 1
        else _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])
    )
    return Who(who[:1].upper() + who[1:])


def meanwhile(who: Who, yours, theirs, **values) -> str:
    """The message for a change made meanwhile: `yours` when it was this organiser's own
    (in another tab), else `theirs`, which names who (`%(who)s`); both given lazily (`_l`)."""
    return str(yours if who.is_you else theirs) % {"who": who, **values}


def quoted(text) -> str:
    """A name quoted as the organiser's language quotes it: “Tents”, « Tentes »."""
    return _("“%(text)s”", text=text)


def conflict_message(
    record, seen_version: int, labels: dict | None = None, base_labels: dict | None = None
) -> str:
    """What others changed since this organiser opened the form; the fields by their labels
    in the form (`labels`: {field name: label}), a translation as “Name — Français” (from
    `base_labels`, the translated fields' labels without their language)."""
    changes = Change.since_version(record.__tablename__, record.id, seen_version)
    fields = changed_field_labels(changes, labels or {}, base_labels or {})
    what = _(" (%(fields)s)", fields=", ".join(fields)) if fields else ""
    return meanwhile(
        who_changed(changes),
        _l(
            "You changed “%(record)s”%(what)s in another tab or window while you were editing "
            "here, so these changes were not saved. They are still in the form below: save "
            "again to replace the newer version with these, or reload the page to start from it."
        ),
        _l(
            "%(who)s changed “%(record)s”%(what)s while you were editing, so your changes were "
            "not saved. They are still in the form below: save again to replace the newer "
            "version with yours, or reload the page to start from it."
        ),
        record=record,
        what=what,
    )


def changed_field_labels(changes, labels: dict, base_labels: dict) -> list[str]:
    """The fields `changes` changed, as the form labels them; translations one by one."""
    shown = []
    for change in changes:
        for field, language in translating.changed_fields(change):
            label = labels.get(field) or field.replace("_", " ")
            if language is not None:
                label = translating.with_language(base_labels.get(field) or label, language)
            shown.append(label)
    return sorted(set(shown), key=shown.index)


def _forget_unsafe_return_address() -> None:
    """Drop a return address that is not a path on this site, before any view reads it.

    Flask-Admin redirects to `url` (query or form) checking only its host: a line
    break in it failed the redirect with a 500 after the save had committed. Without
    it every view goes back to its list.
    """
    addresses = request.values.getlist(RETURN_ADDRESS)
    if all(safe_next_path(address) for address in addresses):
        return
    # Flask-Admin reads it from request.values alone (flask_admin.helpers.get_redirect_target),
    # with no hook to give it another address: the request's (public) values are replaced.
    request.values = ImmutableMultiDict(
        [(key, value) for key, value in request.values.items(multi=True) if key != RETURN_ADDRESS]
    )


def _referrer_path() -> str | None:
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SecureModelView(SecuredView, ConfirmedDeletion, ModelView):
    """Defaults for every model view: phone-friendly, no modal dialogs, and bad
    input answered with a message rather than a database error."""

    page_size = 50
    can_view_details = False
    create_modal = False
    edit_modal = False
    can_set_page_size = False
    named_filter_urls = True

    create_template = "admin/record_create.html"
    edit_template = "admin/record_edit.html"

    # No lost updates: the edit form carries the version it was read at.
    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.version_seen = HiddenField()
        limit_dates_and_numbers(form_class)
        return form_class

    # Content in every language: a field per translated field and language (translating.py).
    def create_form(self, obj=None):
        form_class = translating.with_translation_fields(
            self._create_form_class, self.model, creating=True
        )
        form = form_class(get_form_data(), obj=obj)
        translating.prepare(form, self.model, None)
        return form

    def edit_form(self, obj=None):
        form_class = translating.with_translation_fields(
            self._edit_form_class, self.model, creating=False
        )
        form = form_class(get_form_data(), obj=obj)
        translating.prepare(form, self.model, obj)
        if obj is not None and not form.version_seen.data:
            form.version_seen.data = obj.version
        return form

    def update_model(self, form, model):
        seen = parse_id(form.version_seen.data)
        if seen is not None and seen != model.version:
            labels = {field.short_name: str(field.label.text) for field in form}
            base_labels = getattr(form, "base_labels", {})
            flash(conflict_message(model, seen, labels, base_labels), "error")
            # Saving again now replaces the newer version, knowingly.
            form.version_seen.data = model.version
            return False
        return super().update_model(form, model)

    def validate_form(self, form):
        valid = super().validate_form(form)
        # Messages given lazily (in the organiser's language) as text: Flask-Admin shows
        # only the errors that are strings.
        for field in form:
            field.errors = [
                str(error) if isinstance(error, LazyString) else error for error in field.errors
            ]
        return valid

    def get_one(self, id):
        id_ = parse_id(id)
        return None if id_ is None else super().get_one(str(id_))

    # Hostile list addresses: every number goes through whole_number, so a page
    # beyond the database's range, "-1" or "²" means the first page, as a missing
    # one does; filters refuse what their column cannot compare; search is literal.
    # Private, no public hook: flask_admin/model/base.py BaseModelView._get_list_extra_args
    # (2.2.1) is where index_view reads its arguments; tests/test_admin_templates.py checks it.
    def _get_list_extra_args(self):
        args = super()._get_list_extra_args()
        args.page = whole_number(request.args.get("page")) or 0
        args.page_size = whole_number(request.args.get("page_size")) or 0
        args.sort = whole_number(request.args.get("sort"))
        args.sort_desc = bool(whole_number(request.args.get("desc")))
        args.search = (args.search or "")[:SEARCH_LENGTH] or None
        return args

    def get_filters(self):
        filters = super().get_filters()
        for flt in filters or ():
            guard_filter(flt, self)
        return filters

    def get_filter_arg(self, index, flt):
        # A filter's address is the same in every language (the dashboard's links, bookmarks):
        # Flask-Admin makes it from the filter's name, which is in the organiser's language.
        with force_locale(SOURCE_LANGUAGE):
            return super().get_filter_arg(index, flt)

    def get_invalid_value_msg(self, value, filter):
        shown = "".join(char if char.isprintable() else "?" for char in value[:40])
        return _(
            "The filter “%(filter)s” cannot use “%(value)s”, so it was left out.",
            filter=filter.name,
            value=shown,
        )

    def _apply_search(self, query, count_query, joins, count_joins, search):
        # Flask-Admin 2.2.1's own, with `%` and `_` matching themselves: upstream
        # hands each word to LIKE as it is, so searching for "%" listed every row.
        # Private, no public hook: flask_admin/contrib/sqla/view.py ModelView._apply_search,
        # with its _search_fields and _apply_path_joins (2.2.1), is what get_list calls to
        # search; tests/test_admin_templates.py checks they are still there.
        for term in search.split():
            pattern = like_pattern(term)
            matches, count_matches = [], []
            for field, path in self._search_fields:
                query, joins, alias = self._apply_path_joins(query, joins, path, inner_join=False)
                matches.append(_search_match(field, alias, pattern))
                if count_query is not None:
                    count_query, count_joins, count_alias = self._apply_path_joins(
                        count_query, count_joins, path, inner_join=False
                    )
                    count_matches.append(_search_match(field, count_alias, pattern))
            query = query.filter(or_(*matches))
            if count_query is not None:
                count_query = count_query.filter(or_(*count_matches))
        return query, count_query, joins, count_joins

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        blueprint.after_request(_name_the_saved_record)
        return blueprint

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        g.saved_record = (str(model), is_created)

    def on_model_change(self, form, model, is_created):
        # Browsers send line breaks in text areas as CRLF; store them as LF, so
        # an unchanged form saves nothing new and plain text stays clean.
        for name in form.data:
            value = getattr(model, name, None)
            if isinstance(value, str) and "\r" in value:
                setattr(model, name, value.replace("\r\n", "\n").replace("\r", "\n"))
        translating.save(form, model)

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleDataError):
            db.session.rollback()
            flash(
                _(
                    "Someone saved this record at the same moment, so your change was not "
                    "saved. Reload the page to see their version."
                ),
                "error",
            )
            return True
        if isinstance(exc, OperationalError):
            db.session.rollback()
            current_app.logger.error("Admin save failed, database unavailable: %s", exc.orig)
            flash(
                _("The database cannot be reached, so nothing was saved. Try again in a minute."),
                "error",
            )
            return True
        if isinstance(exc, SQLAlchemyError):
            db.session.rollback()
            reason = first_line(getattr(exc, "orig", exc)) or type(exc).__name__
            current_app.logger.warning("Admin save refused by the database: %s", reason)
            flash(
                _(
                    "That could not be saved: a value is too large or clashes with another "
                    "record. Nothing was changed."
                ),
                "error",
            )
            return True
        return super().handle_view_exception(exc)


def _name_the_saved_record(response):
    """Flask-Admin's "Record was successfully saved." (in French, "A été enregistrée avec
    succès.") replaced by ours, naming the record: "“Tents” was saved." It flashes its own
    after after_model_change, with no hook to say another, so it is replaced in the session
    at the end of the request."""
    saved = g.pop("saved_record", None)
    flashes = session.get("_flashes")
    if saved is None or not flashes:
        return response
    name, created = saved
    theirs = admin_gettext(
        "Record was successfully created." if created else "Record was successfully saved."
    )
    ours = (
        _("“%(name)s” was added.", name=name) if created else _("“%(name)s” was saved.", name=name)
    )
    session["_flashes"] = [
        (category, ours if message == theirs else message) for category, message in flashes
    ]
    return response


def limit_dates_and_numbers(form_class) -> None:
    """Every date and number field of a model form takes only what the site can store and
    show, with the reason beside the field (not a database error after the save)."""
    for unbound in vars(form_class).values():
        if not isinstance(unbound, UnboundField):
            continue
        validators = unbound.kwargs.setdefault("validators", [])
        if issubclass(unbound.field_class, DateField | DateTimeField):
            validators.append(SensibleDate())
        elif issubclass(unbound.field_class, IntegerField):
            validators.append(NumberRange(0, LARGEST_INTEGER, WHOLE_NUMBER))


WHOLE_NUMBER = _l("Enter a whole number from 0 to %(largest)s.", largest=LARGEST_INTEGER)


def _search_match(field, alias, pattern: str):
    column = field if alias is None else getattr(alias, field.key)
    return cast(column, Unicode).ilike(pattern, escape=LIKE_ESCAPE)


SLUG_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lower-case letters, digits and single hyphens, e.g. warm-clothes."),
)


POSITION_RULE = NumberRange(min=0, max=MAX_ID, message=_l("Enter a number from 0 up."))


def back_to_list(view):
    return redirect(safe_next_path(request.form.get("url")) or view.get_url(".index_view"))


class OrderedView(SecureModelView):
    """A list whose rows move up and down among their siblings (see app.models.ordering)."""

    list_template = "admin/ordered_list.html"
    column_formatters = {"position": macro("order_buttons")}

    @expose("/<id>/move", methods=["POST"])
    def move(self, id):
        row = get_or_404(self.model, id)
        direction = request.form.get("direction", "")
        offset = {"up": -1, "down": 1}.get(direction)
        if offset is None or not row.move(offset):
            flash(_("“%(name)s” cannot move further that way.", name=row), "info")
            return back_to_list(self)
        db.session.commit()
        moved = _("“%(name)s” moved up.") if offset < 0 else _("“%(name)s” moved down.")
        flash(moved % {"name": row}, "success")
        return back_to_list(self)
