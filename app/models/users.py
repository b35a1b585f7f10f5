"""Organisers' accounts: roles, password hashing and the password policy."""

import hmac
import secrets
from contextlib import suppress
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import g, has_app_context, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.extensions import db
from app.models.history import Versioned
from app.models.logins import LoginSession
from app.models.types import UTCDateTime, enum_column_type, utcnow

MIN_PASSWORD_LENGTH = 10

COMMON_PASSWORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


class Role(StrEnum):
    admin = "admin"
    organiser = "organiser"

    @property
    def label(self) -> str:
        # Lazy: the admin's menus are made once, and shown in each organiser's language.
        return {"admin": _l("Admin (everything, including users)"), "organiser": _l("Organiser")}[
            self.value
        ]


_hasher = PasswordHasher()


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _(
            "Use at least %(count)s characters; a few words in a row work well.",
            count=MIN_PASSWORD_LENGTH,
        )
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _("That password is too easy to guess; choose another.")
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why an address cannot be used (an account's, the group's contact), or None when it can.

    The one check, for the CLI and the admin's forms alike: email_validator's, as WTForms'
    Email() makes it, without looking the domain up (no network). The address is checked
    as it will be stored: accounts' addresses after normalise_email.
    """
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Enter a valid email address.")
    return None


class User(UserMixin, Versioned, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # The admin's language for this organiser ("" for the site's default language).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"), default=Role.organiser)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's user id: a new token (new password) ends all
    # sessions that carry the old one.
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Not a column: the token of the login (LoginSession) this request belongs to.
    login_token = None

    def __str__(self) -> str:
        return self.display_name

    @validates("email")
    def _normalise_email(self, key, email: str) -> str:
        # However an address is typed, it is stored (and so unique) lower-cased.
        return normalise_email(email)

    @validates("is_active")
    def _end_sessions_when_deactivated(self, key, active: bool) -> bool:
        # A new token: the logins from before stay ended if the account comes back.
        if not active and self.is_active:
            self.session_token = secrets.token_hex(16)
        return active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    def get_id(self) -> str:
        """What the session cookie holds: the account, its password generation, the login."""
        return f"{self.id}:{self.session_token}:{self.login_token or ''}"

    def set_password(self, password: str) -> None:
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        self.password_hash = _hasher.hash(password)
        self.session_token = secrets.token_hex(16)

    @classmethod
    def from_session_id(cls, session_id: str, idle: timedelta, longest: timedelta) -> "User | None":
        """The active user a session belongs to, while the session is still open on the server.

        A session ends when its login is ended (logout), goes unused for IDLE or
        is older than LONGEST, when the account is deactivated, and when the
        password changes (a new session token).
        """
        user_id, _, rest = session_id.partition(":")
        token, _, login_token = rest.partition(":")
        if not (user_id.isdigit() and len(user_id) < 10 and token and login_token):
            return None
        user = db.session.get(cls, int(user_id))
        if user is None or not user.is_active:
            return None
        if not hmac.compare_digest(user.session_token, token):
            return None
        if LoginSession.find(user.id, login_token, idle, longest) is None:
            return None
        user.login_token = login_token
        return user

    def check_password(self, password: str) -> bool:
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == normalise_email(email)))

    @classmethod
    def count(cls) -> int:
        return db.session.scalar(select(func.count()).select_from(cls))


def verify_dummy_password(password: str) -> None:
    """Spend the time a real check takes, so timing does not reveal unknown emails."""
    with suppress(VerificationError):
        _hasher.verify(_DUMMY_HASH, password)


_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def acting_user_id() -> int | None:
    """The user to credit with a change: the logged-in organiser, or the CLI's actor."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    if has_app_context():
        return g.get("acting_user_id")
    return None
