"""Keeping the mirror current: one watcher per host, woken by commits and by the clock.

Every serving process with MIRROR_DIR set starts a watcher thread (``flask``
commands do not). The first to take the mirror's watch lock (a file lock
beside MIRROR_DIR) is the host's watcher; the others wait for the lock and
take over if its process ends. The watcher brings the mirror up to the
content version (app/content_version.py):

- at once after a commit of public content on this host: every process touches
  a file beside MIRROR_DIR after such a commit, and the watcher looks at that
  file's time ten times a second;
- at once after such a commit on any host, on PostgreSQL: the commit carries a
  NOTIFY on the channel CHANNEL, which every watcher LISTENs to;
- at once when the clock passes the version's next boundary: a scheduled
  report-back's time, local midnight;
- and in any case every second, with one query (a notification lost while
  the listening connection was down, a `flask` command on another host).

When the database cannot be reached, the mirror stays as it is and the
watcher retries after 1, 2, 4… up to 30 seconds, logging one line when the
outage begins and one when it ends, not one per attempt.
"""

import fcntl
import logging
import os
import threading
import time
from pathlib import Path

import psycopg
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.content_version import PRIVATE_RECORD_TYPES
from app.extensions import db
from app.mirror.build import MirrorUnavailable, build_mirror, compile_public_templates
from app.mirror.files import MirrorLocationError, MirrorPaths, lock_file
from app.outages import first_line

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # the version is read at most this often when nothing wakes the watcher
TICK_SECONDS = 0.1  # how often the watcher looks at the clock and the commit file
LOCK_RETRY_SECONDS = 1.0
LONGEST_PAUSE = 30.0
OUTAGES = (SQLAlchemyError, MirrorUnavailable, OSError)
CHANNEL = "needs_now_content"  # PostgreSQL NOTIFY channel: public content was committed


class MirrorKeeper:
    """The mirror as one process sees it: it tells the host's watcher about commits,
    and, in a serving process, runs a watcher thread that may become the host's."""

    def __init__(self, app: Flask, target: Path, watch: bool):
        self.app = app
        self.paths = MirrorPaths(target)
        self.woken = threading.Event()
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set while this process is the host's watcher
        self.watch = watch
        self.thread = None

    def start(self) -> None:
        """Start taking part in watching (a serving process only)."""
        if self.watch and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="mirror-watcher", daemon=True)
            self.thread.start()

    def nudge(self) -> None:
        """Public content was committed: wake this host's watcher, whichever process has it."""
        self.woken.set()
        try:
            self.paths.nudge.touch()
            os.utime(self.paths.nudge)
        except OSError:  # the watcher still looks every second
            pass

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.woken.set()
        if self.thread is not None:
            self.thread.join(timeout)

    # The watcher thread -------------------------------------------------------

    def _run(self) -> None:
        with lock_file(self.paths.watch_lock) as lock:
            while not self._try_lock(lock):
                if self.stopping.wait(LOCK_RETRY_SECONDS):
                    return
            log.info("Mirror: this process (%s) keeps %s current", os.getpid(), self.paths.target)
            self.watching.set()
            try:
                Watch(self).run()
            finally:
                self.watching.clear()

    @staticmethod
    def _try_lock(lock) -> bool:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class Watch:
    """The host's watcher loop, while this process holds the watch lock."""

    def __init__(self, keeper: MirrorKeeper):
        self.keeper = keeper
        self.next_look = 0.0
        self.nudged_at = self._nudge_time()
        self.version = None
        self.outage_began: float | None = None
        self.pause = 0.0
        self.listener = None  # a PostgreSQL connection LISTENing on CHANNEL

    def run(self) -> None:
        keeper = self.keeper
        try:
            if not self.look(time.monotonic()):  # at once: the mirror may be behind
                return
            self.warm_up()
            while not keeper.stopping.is_set():
                now = time.monotonic()
                if self._due(now) and not self.look(now):
                    return
                self._wait(TICK_SECONDS)
        finally:
            self._stop_listening()

    def warm_up(self) -> None:
        """Compile the public templates, so the first change is rendered at full speed."""
        try:
            count = compile_public_templates(self.keeper.app)
        except Exception:  # a broken template shows on its page; rebuilds go on
            log.exception("Mirror: the public templates could not all be compiled")
            return
        log.info("Mirror: %s public templates compiled", count)

    def _wait(self, seconds: float) -> None:
        """Wait for the next tick, a local nudge, or a notification from any host."""
        if self.listener is None:
            self.keeper.woken.wait(seconds)
            return

        try:
            for _ in self.listener.notifies(timeout=seconds, stop_after=1):
                self.keeper.woken.set()
        except psycopg.Error:  # the database went away: polling goes on, listening resumes later
            self._stop_listening()

    def _listen(self) -> None:
        engine = db.engine
        if self.listener is not None or engine.dialect.name != "postgresql":
            return

        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self.listener = psycopg.connect(url, autocommit=True, connect_timeout=5)
            self.listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            self._stop_listening()

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _due(self, now: float) -> bool:
        if self.outage_began is not None:
            return now >= self.next_look  # during an outage, only the back-off decides
        nudged_at = self._nudge_time()
        nudged = self.keeper.woken.is_set() or nudged_at != self.nudged_at
        self.nudged_at = nudged_at
        self.keeper.woken.clear()
        return nudged or now >= self.next_look or (self.version and self.version.expired())

    def _nudge_time(self) -> int:
        try:
            return self.keeper.paths.nudge.stat().st_mtime_ns
        except OSError:
            return 0

    def look(self, now: float) -> bool:
        """Bring the mirror up to date; False when it never can be (a bad MIRROR_DIR)."""
        self.next_look = now + POLL_SECONDS
        try:
            with self.keeper.app.app_context():
                try:
                    result = build_mirror(self.keeper.paths.target)
                    self._listen()
                finally:
                    db.session.remove()
        except MirrorLocationError as problem:
            log.error("Mirror: %s; not keeping a mirror", problem)
            return False
        except OUTAGES as error:
            self._failed(now, error)
            return True
        except Exception:  # a bug must not stop later rebuilds; logged once per episode
            if self.outage_began is None:
                log.exception("Mirror: rebuild failed; the mirror stays as it is")
            self._failed(now, None)
            return True
        self.version = result.version
        if self.outage_began is not None:
            log.warning("Mirror: up to date again after %.0f s", now - self.outage_began)
            self.outage_began, self.pause = None, 0.0
        if result.changed:
            log.info(
                "Mirror: %s built (%s pages rendered, %s files written)",
                result.version.token,
                result.rendered,
                result.written,
            )
        return True

    def _failed(self, now: float, error: Exception | None) -> None:
        if self.outage_began is None:
            self.outage_began = now
            if error is not None:
                reason = first_line(error)
                log.warning(
                    "Mirror: cannot reach the site's content (%s: %s); the mirror stays "
                    "as it is, retrying",
                    error.__class__.__name__,
                    reason,
                )
        self.pause = min(max(1.0, self.pause * 2), LONGEST_PAUSE)
        self.next_look = now + self.pause


def public_change_pending(session) -> bool:
    return bool(session.info.get("changed_record_types", set()) - set(PRIVATE_RECORD_TYPES))


@event.listens_for(Session, "before_commit")
def notify_other_hosts(session) -> None:
    """On PostgreSQL, the commit itself tells every host's watcher (NOTIFY is delivered
    when, and only if, the transaction commits)."""
    session.flush()
    if public_change_pending(session) and session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


@event.listens_for(Session, "after_commit")
def nudge_after_public_change(session) -> None:
    changed = session.info.pop("changed_record_types", set())
    if not changed - set(PRIVATE_RECORD_TYPES) or not has_app_context():
        return
    keeper = current_app.extensions.get("mirror")
    if keeper is not None:
        keeper.nudge()


@event.listens_for(Session, "after_rollback")
def forget_changes(session) -> None:
    session.info.pop("changed_record_types", None)
