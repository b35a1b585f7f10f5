"""Logging organisers in and out: /login and /logout (POST)."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.admin.forms import LoginForm
from app.extensions import db, login_manager
from app.models import ChangeAction, User
from app.models.history import record_event
from app.models.logins import LoginSession
from app.models.types import utcnow
from app.models.users import verify_dummy_password
from app.throttle import login_throttle

bp = Blueprint("auth", __name__)

LOGIN_FAILED = _l("That email and password do not match an active account.")
TOO_MANY_FAILURES = _l("Too many failed attempts. Please wait a few minutes and try again.")

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
# Flashed as text in the request's language (the session cannot keep a lazy string).
login_manager.localize_callback = str
# "strong" would log organisers out whenever their phone changes network.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # A login that was ended (logout) or went stale, a deactivated account, or
    # one whose password changed since this session began: logged out now.
    config = current_app.config
    return User.from_session_id(
        session_id, idle=config["PERMANENT_SESSION_LIFETIME"], longest=config["SESSION_MAX_AGE"]
    )


def safe_next_path(target: str | None) -> str | None:
    """The target when it is a path on this site; None for anything else."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("board.index"))

    form = LoginForm()
    error = None
    if form.validate_on_submit():
        throttle, address = login_throttle(), request.remote_addr or ""
        wait = throttle.retry_after(form.email.data, address)
        if wait:
            return (
                render_template(
                    "auth/login.html", form=form, error=TOO_MANY_FAILURES, logged_out=False
                ),
                429,
                {"Retry-After": str(wait)},
            )
        user = User.by_email(form.email.data)
        # Always spend the time of one password check, so how long the answer
        # takes says nothing about whether the account exists or is active.
        if user is None:
            verify_dummy_password(form.password.data)
        elif user.check_password(form.password.data) and user.is_active:
            throttle.succeeded(form.email.data, address)
            start_login(user)
            record_event(
                ChangeAction.login, "users", user.id, user.display_name, user.id, user.display_name
            )
            db.session.commit()
            return redirect(next_path or url_for("board.index"))
        throttle.failed(form.email.data, address)
        # Which account was tried, if it is one; never what was typed, which
        # anybody can fill and may be a password typed in the wrong box.
        record_event(
            ChangeAction.login_failed,
            "users",
            user.id if user else None,
            failed_login_summary(user),
            None,
            "",
        )
        db.session.commit()
        error = LOGIN_FAILED
    status = 200 if error is None else 401
    return render_template(
        "auth/login.html", form=form, error=error, logged_out="logged_out" in request.args
    ), status


def start_login(user: User) -> None:
    """A fresh session, with a login opened on the server that logging out will end."""
    config = current_app.config
    session.clear()  # nothing from before the login carries over
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME idle
    LoginSession.forget_stale(config["PERMANENT_SESSION_LIFETIME"], config["SESSION_MAX_AGE"])
    user.login_token = LoginSession.start(user.id)
    login_user(user)
    user.last_login_at = utcnow()


def failed_login_summary(user: User | None) -> str:
    return f"Failed login as {user.display_name}" if user else "Failed login (no such account)"


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # End the login on the server: a copy of the cookie is worthless from now on.
        LoginSession.end(current_user.login_token)
        record_event(
            ChangeAction.logout,
            "users",
            current_user.id,
            current_user.display_name,
            current_user.id,
            current_user.display_name,
        )
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))
