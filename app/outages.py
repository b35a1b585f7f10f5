"""Logging an outage once, not once a request.

While the database is unreachable every request fails the same way; a line (or a
traceback) each time would bury everything else in the log. An Outage logs one
line when it starts, a reminder at most once a minute while it lasts, and one
line when it is over.
"""

import logging
import time

REMINDER_SECONDS = 60


def first_line(error: object) -> str:
    """An error's message in one short line, for the log (empty when it has none)."""
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else ""


class Outage:
    def __init__(self, what: str, logger: logging.Logger):
        self.what, self.logger = what, logger
        self.logged_at: float | None = None  # monotonic; None while all is well

    @property
    def ongoing(self) -> bool:
        return self.logged_at is not None

    def failed(self, detail: object) -> None:
        now = time.monotonic()
        if self.logged_at is None or now - self.logged_at >= REMINDER_SECONDS:
            reason = first_line(detail) or type(detail).__name__
            self.logger.error("%s unavailable (%s)", self.what, reason)
            self.logged_at = now

    def recovered(self) -> None:
        if self.logged_at is not None:
            self.logger.warning("%s is back", self.what)
            self.logged_at = None


DATABASE = Outage("Database", logging.getLogger("app.database"))
