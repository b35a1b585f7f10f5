"""Throttling failed logins, per account and per client address.

The counters are shared by every gunicorn worker and every host: they live in
the database (the `login_failures` table), or in Redis when REDIS_URL is set.
If Redis stops answering, the database takes over at once (one log line when
Redis goes, one when it is back), so logging in never fails because of Redis
and the limits still hold. Accounts and addresses are stored only as keyed
hashes, for the length of the window: no visitor's address is kept in clear.
"""

import hashlib
import hmac
import logging
import math
import time
from datetime import timedelta

from flask import Flask, current_app
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError
from sqlalchemy import delete, select

from app.extensions import db
from app.models.logins import LoginFailure
from app.models.types import utcnow
from app.outages import Outage

WINDOW_MINUTES = 15
WINDOW = timedelta(minutes=WINDOW_MINUTES)
# After Redis fails, the database counts for this long before Redis is tried again.
REDIS_RETRY_SECONDS = 30
# A Redis host that stops answering must not hold a login for long.
REDIS_TIMEOUT_SECONDS = 1

log = logging.getLogger(__name__)


class DatabaseCounters:
    """Failures as rows of the request's database session; the caller commits."""

    def retry_after(self, key: str, limit: int) -> int:
        now = utcnow()
        newest = db.session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        ).all()
        if len(newest) < limit:
            return 0
        return max(1, math.ceil((newest[-1] + WINDOW - now).total_seconds()))

    def hit(self, key: str, limit: int) -> None:
        now = utcnow()
        db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
        db.session.add(LoginFailure(key=key, at=now))

    def clear(self, key: str, limit: int) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class RedisCounters:
    """Failures in Redis, as moving windows (the `limits` library)."""

    def __init__(self, url: str, key_prefix: str):
        storage = storage_from_string(
            url,
            key_prefix=key_prefix,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self.limiter = MovingWindowRateLimiter(storage)

    @staticmethod
    def _item(limit: int):
        return RateLimitItemPerMinute(limit, WINDOW_MINUTES)

    def retry_after(self, key: str, limit: int) -> int:
        if self.limiter.test(self._item(limit), key):
            return 0
        reset_at = self.limiter.get_window_stats(self._item(limit), key).reset_time
        return max(1, int(reset_at - time.time()))

    def hit(self, key: str, limit: int) -> None:
        self.limiter.hit(self._item(limit), key)

    def clear(self, key: str, limit: int) -> None:
        self.limiter.clear(self._item(limit), key)


class LoginThrottle:
    def __init__(
        self,
        secret: str,
        per_account: int,
        per_address: int,
        redis_url: str | None = None,
        key_prefix: str = "needs-now",
    ):
        self.secret = secret.encode()
        self.limits = {"account": per_account, "address": per_address}
        self.database = DatabaseCounters()
        self.redis = RedisCounters(redis_url, key_prefix) if redis_url else None
        self.redis_failed_at: float | None = None  # monotonic time of the last failure
        self.outage = Outage("Redis", log)

    def _keys(self, account: str, address: str) -> dict[str, str]:
        def keyed(kind: str, value: str) -> str:
            message = f"{kind}:{value}".encode()
            return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:32]

        return {
            "account": keyed("account", account.strip().lower()),
            "address": keyed("address", address),
        }

    def _count(self, operation: str, kind: str, key: str):
        """Run one counter operation in Redis when it answers, else in the database."""
        if self.redis is not None and self._redis_worth_trying():
            try:
                result = getattr(self.redis, operation)(key, self.limits[kind])
            except RedisError as error:
                self.outage.failed(error)  # meanwhile the database counts
                self.redis_failed_at = time.monotonic()
            else:
                self.outage.recovered()
                self.redis_failed_at = None
                return result
        return getattr(self.database, operation)(key, self.limits[kind])

    def _redis_worth_trying(self) -> bool:
        failed_at = self.redis_failed_at
        return failed_at is None or time.monotonic() - failed_at >= REDIS_RETRY_SECONDS

    def retry_after(self, account: str, address: str) -> int:
        """Seconds until another attempt is allowed; 0 when one is allowed now."""
        keys = self._keys(account, address)
        return max(self._count("retry_after", kind, key) for kind, key in keys.items())

    def failed(self, account: str, address: str) -> None:
        for kind, key in self._keys(account, address).items():
            self._count("hit", kind, key)

    def succeeded(self, account: str, address: str) -> None:
        """The right password: the account's earlier failures no longer count."""
        self._count("clear", "account", self._keys(account, address)["account"])


def init_throttle(app: Flask) -> None:
    config = app.config
    app.extensions["login_throttle"] = LoginThrottle(
        config["SECRET_KEY"],
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
        redis_url=config["REDIS_URL"],
        key_prefix=config["THROTTLE_KEY_PREFIX"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
