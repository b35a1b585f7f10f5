"""Error pages in the site's style: never a stack trace, never a half-written record.
On API addresses, errors are JSON: `{"error": "…"}`."""

import json

from flask import Flask, Response, g, has_request_context, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, InternalServerError

from app import outages
from app.addresses import is_api_address
from app.extensions import db, login_manager

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("Something in that request was not right, so nothing was changed."),
    ),
    403: (_l("Not allowed"), _l("Your account is not allowed to do that.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have moved.")),
    405: (_l("Not allowed"), _l("That kind of request is not accepted here.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("Sorry: that did not work, and nothing was changed.")),
    503: (_l("Temporarily unavailable"), _l("Please try again in a minute.")),
}

# A failure after this request's save was committed (e.g. while showing the next page).
SAVED_THEN_FAILED = _l(
    "Your change was saved, but showing the next page failed. Reload the page to see it "
    "before changing anything again."
)


def render_error(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500])
    if has_request_context() and is_api_address(request.path):
        return api_error(status, detail or message)
    g.showing_an_error = True  # its language switch offers home pages (app/languages.py)
    body = render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    )
    return body, status


def api_error(status: int, message: str):
    """An error on an API address (app/public/api.py): `{"error": "…"}`, never a page."""
    body = json.dumps({"error": str(message)}, ensure_ascii=False)
    return Response(body, mimetype="application/json"), status


RETRY_AFTER_SECONDS = 30


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The database is down or unreachable: say so briefly, and come back by
        # itself (the pool checks connections before use) once it returns.
        db.session.rollback()
        outages.DATABASE.failed(error.orig)
        if "_login_user" not in g:
            # Loading the user is what failed; render this page as anonymous
            # rather than have Flask-Login try the database again. Private, no public
            # hook: Flask-Login 0.6's _get_user (flask_login/utils.py) loads the user
            # unless g._login_user is set; logout_user() would also end the session.
            # Guarded by tests/test_admin_templates.py (…_still_keeps_the_user_in_g_login_user).
            g._login_user = login_manager.anonymous_user()
        body, status = render_error(503)
        return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(
            400,
            _l(
                "This form has expired or was not sent from this site, so nothing was saved. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        # The API says what was wrong (abort(400, "…")): werkzeug's standard text says nothing.
        own = error.description if error.description != type(error).description else None
        return render_error(error.code, own if is_api_address(request.path) else None)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        # Flask has already logged the exception; undo whatever it half-wrote, and
        # never say "nothing was changed" when this request did save something.
        db.session.rollback()
        return render_error(500, SAVED_THEN_FAILED if g.get("saved_a_change") else None)


@event.listens_for(Engine, "after_cursor_execute")
def _database_is_back(connection, cursor, statement, parameters, context, executemany):
    if outages.DATABASE.ongoing:
        outages.DATABASE.recovered()


@event.listens_for(Session, "before_commit")
def _note_a_change(session):
    session.flush()
    if session.info.get("changed_record_types"):  # history rows written (app/models/history.py)
        session.info["errors.saving_a_change"] = True


@event.listens_for(Session, "after_commit")
def _note_a_saved_change(session):
    if session.info.pop("errors.saving_a_change", False) and has_request_context():
        g.saved_a_change = True


@event.listens_for(Session, "after_rollback")
def _forget_an_unsaved_change(session):
    session.info.pop("errors.saving_a_change", None)
