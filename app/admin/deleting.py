"""Deleting records in the admin: what goes with a record, what stops it, and saying so.

What a deletion does is read from the SQLAlchemy mappers and tables, the same way for every
model: rows that a delete cascade reaches (and the rows their cascades reach) go with the
record; rows elsewhere whose foreign key points at it without a cascade stop it; rows whose
foreign key is ON DELETE SET NULL stay and lose the link.

Before: the delete buttons open a confirmation page that says all this (no JavaScript); when
something stops the deletion the page offers no button, and a POST anyway is refused with the
same words. After: the message says what went. SecureModelView mixes in ConfirmedDeletion,
so every admin model view behaves this way, the bulk "Delete" included.
"""

import enum
from collections import Counter
from dataclasses import dataclass, field

from flask import flash, get_template_attribute, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.helpers import flash_errors
from flask_admin.model.template import BaseListRowAction, DeleteRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, pgettext
from sqlalchemy import and_, func, inspect, select
from sqlalchemy.orm import ONETOMANY

from app.admin.auth import safe_next_path
from app.extensions import db
from app.models import Change
from app.models.history import tracked_class

# How many names a message gives before "and 3 more"; the confirmation page lists more.
NAMES_IN_A_MESSAGE = 5
NAMES_ON_THE_PAGE = 25


class Effect(enum.Enum):
    """What deleting a record does to a row whose foreign key points at it."""

    deleted = "deleted"  # by an ORM delete cascade: deleted, and recorded, row by row
    deleted_by_database = "deleted by the database"  # ON DELETE CASCADE alone: no history
    unlinked = "unlinked"  # the key becomes NULL; the row stays
    blocks = "blocks"  # RESTRICT or NO ACTION: the database would refuse


@dataclass(frozen=True)
class Noun:
    """A kind of record in the admin's words: "stage", "stages", "the stage", "that stage"
    (lazy strings, so in each organiser's language)."""

    singular: str
    plural: str
    the_one: str = ""
    that_one: str = ""

    def counted(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"

    def after_its(self, count: int) -> str:
        """What follows "its": "stage", "4 stages"."""
        if count == 1:
            return pgettext("one record, after “its”", "%(noun)s", noun=self.singular)
        return self.counted(count)

    def of(self, count: int) -> str:
        return self.singular if count == 1 else self.plural

    def the(self, count: int) -> str:
        """“the stage”, “the stages”."""
        if count == 1:
            return str(self.the_one or f"the {self.singular}")
        return _("the %(nouns)s", nouns=self.plural)

    def those(self, count: int) -> str:
        """“that stage”, “those stages”."""
        if count == 1:
            return str(self.that_one or f"that {self.singular}")
        return _("those %(nouns)s", nouns=self.plural)


# How the admin names each kind of record (the views' menu names give the English plural).
NOUNS = {
    "needs": (_l("need"), _l("needs"), _l("the need"), _l("that need")),
    "categories": (_l("category"), _l("categories"), _l("the category"), _l("that category")),
    "sites": (
        _l("drop-off site"),
        _l("drop-off sites"),
        _l("the drop-off site"),
        _l("that drop-off site"),
    ),
    "routes": (_l("route"), _l("routes"), _l("the route"), _l("that route")),
    "stages": (_l("stage"), _l("stages"), _l("the stage"), _l("that stage")),
    "places": (_l("place"), _l("places"), _l("the place"), _l("that place")),
    "figures": (_l("figure"), _l("figures"), _l("the figure"), _l("that figure")),
    "posts": (_l("report-back"), _l("report-backs"), _l("the report-back"), _l("that report-back")),
    "pages": (_l("page"), _l("pages"), _l("the page"), _l("that page")),
    "images": (_l("image"), _l("images"), _l("the image"), _l("that image")),
    "users": (_l("user"), _l("users"), _l("the user"), _l("that user")),
    "changes": (
        _l("recent change"),
        _l("recent changes"),
        _l("the recent change"),
        _l("that recent change"),
    ),
}


@dataclass
class Dependents:
    """The rows of one kind that a deletion affects in one way."""

    noun: Noun
    effect: Effect
    recorded: bool = True  # each row's deletion gets a history entry
    rows: dict = field(default_factory=dict)  # identity key -> name
    unnamed: int = 0  # rows of a table no model maps: counted only

    @property
    def count(self) -> int:
        return len(self.rows) + self.unnamed

    @property
    def counted(self) -> str:
        return self.noun.counted(self.count)

    @property
    def names(self) -> list[str]:
        return list(self.rows.values())

    def named(self, limit: int = NAMES_IN_A_MESSAGE) -> str:
        """“A”, “B” and 3 more."""
        names = [_("“%(text)s”", text=name) for name in self.names[:limit]]
        more = self.count - len(names)
        return joined([*names, _("%(count)s more", count=more)] if more > 0 else names)

    def without(self, keys: set) -> "Dependents":
        """The rows that stay when `keys` go, oldest first."""
        rows = {key: name for key, name in sorted(self.rows.items()) if key not in keys}
        return Dependents(self.noun, self.effect, self.recorded, rows, self.unnamed)


@dataclass
class DeletionPlan:
    """One record's deletion, worked out before anything is deleted.

    It keeps names as text: after the commit the deleted rows can no longer be read.
    """

    noun: Noun
    name: str
    groups: list[Dependents]
    keys: set  # every row that goes, the record's own included

    @property
    def what(self) -> str:
        return _("%(the_noun)s “%(name)s”", the_noun=self.noun.the(1), name=self.name)

    @property
    def title(self) -> str:
        return capitalised(self.what)

    @property
    def cascades(self) -> list[Dependents]:
        return self._with(Effect.deleted, Effect.deleted_by_database)

    @property
    def going_with(self) -> str:
        """What the record takes with it: "4 stages and 6 figures"."""
        return joined(_totals(self.cascades)) if self.cascades else ""

    @property
    def unlinked(self) -> list[Dependents]:
        return self._with(Effect.unlinked)

    @property
    def blockers(self) -> list[Dependents]:
        return self._with(Effect.blocks)

    @property
    def restorable(self) -> bool:
        """Every row that goes has a history entry to restore it from."""
        return all(group.recorded for group in self.cascades)

    def _with(self, *effects: Effect) -> list[Dependents]:
        return [group for group in self.groups if group.effect in effects and group.count]

    def refusal(self, tried: bool = True) -> str:
        """Why this record cannot be deleted, naming the rows in the way."""
        uses = [
            _("%(the_noun)s %(names)s uses it", the_noun=group.noun.the(1), names=group.named())
            if group.count == 1
            else _(
                "%(the_nouns)s %(names)s use it",
                the_nouns=group.noun.the(group.count),
                names=group.named(),
            )
            for group in self.blockers
        ]
        if len(self.blockers) == 1:
            only = self.blockers[0]
            those = only.noun.those(only.count)
        else:
            those = _("them")
        if tried:
            return _(
                "%(title)s cannot be deleted: %(uses)s. Change or delete %(those)s first; "
                "nothing was deleted.",
                title=self.title,
                uses=joined(uses),
                those=those,
            )
        return _(
            "%(title)s cannot be deleted: %(uses)s. Change or delete %(those)s first.",
            title=self.title,
            uses=joined(uses),
            those=those,
        )


def joined(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s and %(last)s", list=", ".join(parts[:-1]), last=parts[-1])


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_deletion(record, noun_for) -> DeletionPlan:
    """What deleting `record` takes with it, leaves unlinked, and what stops it.

    `noun_for(model_class)` names a kind of record. Rows are followed through every
    foreign key that points at the record, and on through the rows that go with it.
    """
    keys = {inspect(record).identity_key}
    groups: dict[tuple[Effect, Noun], Dependents] = {}
    queue = [record]
    while queue:
        row = queue.pop(0)
        mapper = inspect(row).mapper
        for constraint in foreign_keys_to(mapper.local_table):
            effect = effect_on(mapper, constraint)
            if effect is None:
                continue
            condition = and_(
                *(
                    element.parent
                    == getattr(row, mapper.get_property_by_column(element.column).key)
                    for element in constraint.elements
                )
            )
            model = model_for(constraint.table)
            if model is None:  # a table no model maps: counted, not named or followed
                noun = Noun(constraint.table.name, constraint.table.name)
                group = groups.setdefault((effect, noun), Dependents(noun, effect, False))
                group.unnamed += db.session.scalar(
                    select(func.count()).select_from(constraint.table).where(condition)
                )
                continue
            noun = noun_for(model)
            recorded = effect is not Effect.deleted_by_database and tracked_class(model)
            group = groups.setdefault((effect, noun), Dependents(noun, effect, recorded))
            for dependent in db.session.scalars(select(model).where(condition)):
                key = inspect(dependent).identity_key
                if key in keys:
                    continue
                group.rows[key] = str(dependent)
                if effect in (Effect.deleted, Effect.deleted_by_database):
                    keys.add(key)
                    queue.append(dependent)
    # A row met as a blocker (or unlinked) before a cascade reached it goes anyway.
    staying = [group.without(keys) for group in groups.values() if group.effect in _STAYING]
    going = [group.without(set()) for group in groups.values() if group.effect not in _STAYING]
    return DeletionPlan(noun_for(type(record)), str(record), going + staying, keys)


_STAYING = (Effect.unlinked, Effect.blocks)


def foreign_keys_to(table):
    for other in db.Model.metadata.tables.values():
        # A set: sorted, so that messages name things in the same order every time.
        for constraint in sorted(other.foreign_key_constraints, key=lambda c: c.column_keys):
            if constraint.referred_table is table:
                yield constraint


def effect_on(mapper, constraint) -> Effect | None:
    """What deleting a row of `mapper` does to the rows that `constraint` makes point at it."""
    columns = {element.parent for element in constraint.elements}
    ondelete = (constraint.ondelete or "").upper()
    for relationship in mapper.relationships:
        if relationship.secondary is constraint.table:
            return None  # a link table: the ORM removes the links itself
        remote = {pair[1] for pair in relationship.local_remote_pairs}
        if relationship.direction is not ONETOMANY or remote != columns:
            continue
        if relationship.cascade.delete:
            return Effect.deleted
        nullable = all(column.nullable for column in columns)
        if not relationship.passive_deletes and nullable and ondelete != "RESTRICT":
            return Effect.unlinked  # the ORM sets the key to NULL, an update in the history
    if ondelete == "CASCADE":
        return Effect.deleted_by_database
    if ondelete in ("SET NULL", "SET DEFAULT"):
        return Effect.unlinked
    return Effect.blocks


def model_for(table):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def deleted_message(plans: list[DeletionPlan], noun: Noun, history_name: str) -> str:
    """After the deletion: "Deleted the route “X”, with its 4 stages and 6 figures. …"."""
    one = len(plans) == 1
    what = plans[0].what if one else noun.counted(len(plans))
    cascades = _totals(group for plan in plans for group in plan.cascades)
    if not cascades:
        text = _("Deleted %(what)s.", what=what)
    elif one:
        text = _("Deleted %(what)s, with its %(things)s.", what=what, things=joined(cascades))
    else:
        text = _("Deleted %(what)s, with their %(things)s.", what=what, things=joined(cascades))
    unlinked = [group for plan in plans for group in plan.unlinked]
    if unlinked:
        things = joined(_totals(unlinked))
        single = sum(group.count for group in unlinked) == 1
        if one and single:
            kept = _("The %(things)s that used it was kept, without it.", things=things)
        elif one:
            kept = _("The %(things)s that used it were kept, without it.", things=things)
        elif single:
            kept = _("The %(things)s that used them was kept, without them.", things=things)
        else:
            kept = _("The %(things)s that used them were kept, without them.", things=things)
        text += " " + kept
    if all(plan.restorable for plan in plans):
        if cascades or not one:
            text += " " + _("All of it can be restored from %(history)s.", history=history_name)
        else:
            text += " " + _("It can be restored from %(history)s.", history=history_name)
    else:
        text += " " + _(
            "Some of it was removed by the database without a history entry: that part "
            "cannot be restored."
        )
    return text


def _totals(groups) -> list[str]:
    """Each kind once, counted: "stage", "6 figures"."""
    counts: Counter[Noun] = Counter()
    for group in groups:
        counts[group.noun] += group.count
    return [noun.after_its(count) for noun, count in counts.items()]


def _singular(plural: str) -> str:
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    return plural[:-1] if plural.endswith("s") else plural


class ConfirmDeletionLink(BaseListRowAction):
    """A list row's delete icon: a link to the confirmation page, named for screen readers
    (the icon alone gives a link no name), from our own macro (admin/delete_link.html)."""

    def __init__(self, url_for_row):
        super().__init__(title=admin_lazy_gettext("Delete Record"))
        self.url_for_row = url_for_row

    def render(self, context, row_id, row):
        link = get_template_attribute("admin/delete_link.html", "delete_link")
        return link(self.url_for_row(row_id), self.title)


class ConfirmedDeletion:
    """Mixed into SecureModelView, before Flask-Admin's ModelView: deletions are confirmed
    on a page of their own, refused with reasons, and reported with what went."""

    delete_confirm_template = "admin/delete_confirm.html"

    def noun_for(self, model) -> Noun:
        """A kind of record, named as its admin view names it ("Drop-off sites")."""
        if model.__tablename__ in NOUNS:
            return Noun(*NOUNS[model.__tablename__])
        view = self.admin.view_for(model)
        plural = view.name.lower() if view else model.__tablename__.replace("_", " ")
        return Noun(_singular(plural), plural)

    def deletion_plan(self, record) -> DeletionPlan:
        return plan_deletion(record, self.noun_for)

    def history_name(self) -> str:
        """The change history, as the admin's menu names it (its address: history_url())."""
        view = self.admin.view_for(Change)
        return view.name if view else _("the history")

    def get_list_row_actions(self):
        """Flask-Admin's row actions, with its delete button (a form confirmed by an inline
        onclick, which our CSP forbids) a link to the confirmation page instead."""
        return [
            ConfirmDeletionLink(self._confirm_url)
            if isinstance(row_action, DeleteRowAction)
            else row_action
            for row_action in super().get_list_row_actions()
        ]

    def _confirm_url(self, row_id) -> str:
        shown = request.full_path if request.query_string else request.path
        return self.get_url(".delete_confirm_view", id=row_id, url=shown)

    def _return_url(self) -> str:
        return safe_next_path(request.values.get("url")) or self.get_url(".index_view")

    @expose("/delete/confirm", methods=("GET",))
    def delete_confirm_view(self):
        return_url = self._return_url()
        if not self.can_delete:
            return redirect(return_url)
        record = self.get_one(request.args.get("id", ""))
        if record is None:
            flash(admin_gettext("Record does not exist."), "error")
            return redirect(return_url)
        fields = [("id", self.get_pk_value(record)), ("url", return_url)]
        return self._confirmation([(record, self.deletion_plan(record))], ".delete_view", fields)

    @expose("/delete/", methods=("POST",))
    def delete_view(self):
        """Flask-Admin's delete_view, saying what went (or what stopped it) instead of
        "Record was successfully deleted"."""
        return_url = self._return_url()
        if not self.can_delete:
            return redirect(return_url)
        form = self.delete_form()
        if not self.validate_form(form):
            flash_errors(form, message="Failed to delete record. %(error)s")  # translated there
            return redirect(return_url)
        record = self.get_one(form.id.data)
        if record is None:
            flash(admin_gettext("Record does not exist."), "error")
            return redirect(return_url)
        plan = self.deletion_plan(record)
        if self.delete_model(record):  # refuses a blocked deletion, with plan.refusal()
            flash(deleted_message([plan], plan.noun, self.history_name()), "success")
        return redirect(return_url)

    def delete_model(self, model) -> bool:
        plan = self.deletion_plan(model)
        if plan.blockers:
            flash(plan.refusal(), "error")
            return False
        return super().delete_model(model)

    # No JavaScript confirm(): the first POST shows the confirmation page, which posts
    # again with confirmed=1.
    @action("delete", "Delete")
    def action_delete(self, ids):
        planned = self._plans_for(ids)
        if not planned:
            flash(_("Choose the records to delete first; nothing was deleted."), "error")
            return None
        if request.form.get("confirmed") != "1":
            deletable = [record for record, plan in planned if not plan.blockers]
            fields = [("action", "delete"), ("url", self._return_url()), ("confirmed", "1")]
            fields += [("rowid", self.get_pk_value(record)) for record in deletable]
            return self._confirmation(planned, ".action_view", fields)
        deleted, refused = [], []
        for record, plan in planned:
            if plan.blockers:
                refused.append(plan)
            elif self.delete_model(record):
                deleted.append(plan)
        if deleted:
            noun = self.noun_for(self.model)
            flash(deleted_message(deleted, noun, self.history_name()), "success")
        for plan in refused[:NAMES_IN_A_MESSAGE]:
            flash(plan.refusal(), "error")
        if len(refused) > NAMES_IN_A_MESSAGE:
            more = len(refused) - NAMES_IN_A_MESSAGE
            flash(
                ngettext(
                    "%(num)d more was not deleted either: other records use it.",
                    "%(num)d more were not deleted either: other records use them.",
                    more,
                ),
                "error",
            )
        return None

    def _plans_for(self, ids) -> list[tuple]:
        """Each chosen record with its plan, leaving out those another one takes with it."""
        planned, seen = [], set()
        for id_ in ids:
            record = self.get_one(id_)
            if record is not None and inspect(record).identity_key not in seen:
                seen.add(inspect(record).identity_key)
                planned.append((record, self.deletion_plan(record)))
        going_with_others = set().union(
            *(
                plan.keys - {inspect(record).identity_key}
                for record, plan in planned
                if not plan.blockers
            )
        )
        return [
            (record, plan)
            for record, plan in planned
            if inspect(record).identity_key not in going_with_others
        ]

    def _confirmation(self, planned: list[tuple], endpoint: str, fields: list[tuple]):
        plans = [plan for _, plan in planned]
        deletable = [plan for plan in plans if not plan.blockers]
        noun = self.noun_for(self.model)
        one = len(plans) == 1
        return self.render(
            self.delete_confirm_template,
            heading=_("Delete %(what)s?", what=plans[0].what if one else noun.counted(len(plans))),
            plans=plans,
            deletable=deletable,
            restorable=all(plan.restorable for plan in deletable),
            button=_("Delete") if one else _("Delete %(what)s", what=noun.counted(len(deletable))),
            form_url=self.get_url(endpoint),
            fields=fields,
            return_url=self._return_url(),
            history_name=self.history_name(),
            names_on_the_page=NAMES_ON_THE_PAGE,
        )
