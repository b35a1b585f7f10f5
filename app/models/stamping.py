"""Stamps who changed an item and when, for the needs list.

One flush listener does this for every way a change is made (admin forms,
one-tap buttons, bulk actions, the CLI, a restore), so nobody has to remember to.
A change also counts as confirming the item (checked_at); a "still right" tap
sets only checked_at, and counting what arrived (received) confirms the item
without making it a new change on the list (the needs feed announces edits).
When the board as a whole last changed is read from the change history.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models.needs import Need
from app.models.types import utcnow
from app.models.users import acting_user_id

# Changing only these does not change what an item says: moving an item in the
# list must not make it (or the ones it swapped with) look freshly updated, and
# confirming it ("still right") is a check, not an edit.
NOT_AN_EDIT = {"position", "version", "checked_at", "received"}


def edited_fields(obj) -> set[str]:
    return {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}


@event.listens_for(Session, "before_flush")
def stamp_changes(session, flush_context, instances):
    now, actor_id = None, None
    for obj in [*session.new, *session.dirty]:
        if not isinstance(obj, Need):
            continue
        edited = edited_fields(obj)
        if obj in session.new or edited - NOT_AN_EDIT:
            if now is None:
                now, actor_id = utcnow(), acting_user_id()
            obj.updated_at = now
            obj.updated_by_id = actor_id
            obj.checked_at = now
        elif "received" in edited:
            obj.checked_at = now or utcnow()
