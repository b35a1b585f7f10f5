"""Stamps every change: who changed an item and when, and when the board changed.

One flush listener does this for every way a change is made (admin forms,
one-tap urgency buttons, bulk actions, the CLI), so nobody has to remember to.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models.needs import Category, Need
from app.models.settings import SETTINGS_ID, Settings
from app.models.sites import Site
from app.models.types import utcnow
from app.models.users import acting_user_id

BOARD_MODELS = (Need, Category, Site)
# Changing only these does not change what an item says: moving an item in the
# list must not make it (or the ones it swapped with) look freshly updated.
NOT_AN_EDIT = {"position"}


def edited_fields(obj) -> set[str]:
    return {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}


@event.listens_for(Session, "before_flush")
def stamp_changes(session, flush_context, instances):
    now = utcnow()
    changed = [obj for obj in session.new if isinstance(obj, BOARD_MODELS)]
    changed += [
        obj
        for obj in session.dirty
        if isinstance(obj, BOARD_MODELS) and session.is_modified(obj, include_collections=False)
    ]
    deleted = [obj for obj in session.deleted if isinstance(obj, BOARD_MODELS)]
    if not changed and not deleted:
        return

    actor_id = acting_user_id()
    for obj in changed:
        if isinstance(obj, Need) and (obj in session.new or edited_fields(obj) - NOT_AN_EDIT):
            obj.updated_at = now
            obj.updated_by_id = actor_id

    with session.no_autoflush:
        settings = session.get(Settings, SETTINGS_ID)
        if settings is None:
            settings = Settings.current()
            session.add(settings)
    settings.needs_changed_at = now
