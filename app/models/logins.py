"""Logins kept on the server: each organiser's open sessions, and recent failed attempts.

Neither is content: they are never in the history, the backups or the mirror,
and both are kept only as long as they matter (an idle session, a throttle
window). Tokens and throttle keys are stored only as hashes, so reading the
database gives no one a usable session or anybody's address.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

# How often an open session's "last seen" time is written: often enough for the
# idle limit, rarely enough that reading pages does not write to the database.
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginSession(db.Model):
    """One login on one device: logging out deletes it, and its cookie stops working."""

    __tablename__ = "login_sessions"
    in_history = False

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @classmethod
    def start(cls, user_id: int) -> str:
        """Open a session for the user; the token goes in their cookie, its hash here."""
        token = secrets.token_urlsafe(32)
        db.session.add(cls(token_hash=token_hash(token), user_id=user_id))
        return token

    @classmethod
    def find(cls, user_id: int, token: str, idle: timedelta, longest: timedelta):
        """The user's open session with this token, or None when it ended or went stale."""
        found = db.session.scalar(
            select(cls).where(cls.token_hash == token_hash(token), cls.user_id == user_id)
        )
        now = utcnow()
        if found is None or found.last_seen_at + idle < now or found.started_at + longest < now:
            return None
        if found.last_seen_at + TOUCH_EVERY < now:
            found.last_seen_at = now
            db.session.commit()
        return found

    @classmethod
    def end(cls, token: str) -> None:
        db.session.execute(delete(cls).where(cls.token_hash == token_hash(token)))

    @classmethod
    def forget_stale(cls, idle: timedelta, longest: timedelta) -> None:
        now = utcnow()
        db.session.execute(
            delete(cls).where((cls.last_seen_at < now - idle) | (cls.started_at < now - longest))
        )


class LoginFailure(db.Model):
    """A failed login, under keyed hashes of the account tried and the address it came from."""

    __tablename__ = "login_failures"
    in_history = False

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
