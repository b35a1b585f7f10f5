"""Throttling failed logins, per account and per client address.

Counters live in Redis when REDIS_URL is set, so the limit holds across every
gunicorn worker and every host; otherwise in this process's memory (fine for
one process, not for several). Accounts and addresses are stored only as keyed
hashes, for the length of the window: no visitor's address is kept in clear.
"""

import hashlib
import hmac
import time

from flask import Flask, current_app
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

WINDOW_MINUTES = 15


class LoginThrottle:
    def __init__(self, storage_uri: str, secret: str, per_account: int, per_address: int,
                 key_prefix: str = "needs-now"):  # fmt: skip
        options = {"key_prefix": key_prefix} if storage_uri.startswith("redis") else {}
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri, **options))
        self.secret = secret.encode()
        self.limits = {
            "account": RateLimitItemPerMinute(per_account, WINDOW_MINUTES),
            "address": RateLimitItemPerMinute(per_address, WINDOW_MINUTES),
        }

    def _keys(self, account: str, address: str) -> dict[str, str]:
        def keyed(kind: str, value: str) -> str:
            message = f"{kind}:{value}".encode()
            return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:32]

        return {"account": keyed("account", account.strip().lower()),
                "address": keyed("address", address)}  # fmt: skip

    def retry_after(self, account: str, address: str) -> int:
        """Seconds until another attempt is allowed; 0 when one is allowed now."""
        waits = []
        for kind, key in self._keys(account, address).items():
            item = self.limits[kind]
            if not self.limiter.test(item, key):
                reset_at = self.limiter.get_window_stats(item, key).reset_time
                waits.append(max(1, int(reset_at - time.time())))
        return max(waits, default=0)

    def failed(self, account: str, address: str) -> None:
        for kind, key in self._keys(account, address).items():
            self.limiter.hit(self.limits[kind], key)

    def succeeded(self, account: str, address: str) -> None:
        """The right password: the account's earlier failures no longer count."""
        self.limiter.clear(self.limits["account"], self._keys(account, address)["account"])


def init_throttle(app: Flask) -> None:
    config = app.config
    app.extensions["login_throttle"] = LoginThrottle(
        config["REDIS_URL"] or "memory://",
        config["SECRET_KEY"],
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
        key_prefix=config["THROTTLE_KEY_PREFIX"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
