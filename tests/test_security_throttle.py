"""Failed logins are throttled per account and per client address, across workers and hosts:
counted in the database, or in Redis when it is set up, and in the database while Redis is down."""

import os
import re
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
import redis
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import LoginFailure
from app.throttle import LoginThrottle
from tests.accounts import PASSWORD, AuthActions, create_user
from tests.apps import create_database, drop_database, make_app, unavailable
from tests.servers import Gunicorn, free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def strict_app(database_config, tmp_path):
    app = make_app(database_config, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_ADDRESS=5)
    create_database(app)
    yield app
    drop_database(app)


@pytest.fixture(scope="session")
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


def test_an_account_is_locked_for_a_while_after_repeated_failures(strict_app):
    create_user(strict_app, email="maya@example.org")
    auth = AuthActions(strict_app, strict_app.test_client())

    failures = [auth.login("maya@example.org", "guess").status_code for _ in range(3)]
    blocked = auth.login("maya@example.org", PASSWORD)  # even the right password, for now

    assert failures == [401, 401, 401]
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in blocked.get_data(as_text=True)


def test_other_accounts_are_not_locked_by_one_accounts_failures(strict_app):
    create_user(strict_app, email="maya@example.org")
    create_user(strict_app, email="sam@example.org")
    auth = AuthActions(strict_app, strict_app.test_client())
    for _ in range(3):
        auth.login("maya@example.org", "guess")

    assert auth.login("sam@example.org", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_throttled(strict_app):
    auth = AuthActions(strict_app, strict_app.test_client())

    statuses = [auth.login(f"user{number}@example.org", "guess").status_code for number in range(6)]

    assert statuses == [401] * 5 + [429]


def test_a_successful_login_clears_the_accounts_failures(strict_app):
    create_user(strict_app, email="maya@example.org")
    auth = AuthActions(strict_app, strict_app.test_client())
    for _ in range(2):
        auth.login("maya@example.org", "guess")

    assert auth.login("maya@example.org", PASSWORD).status_code == 302
    auth.logout()
    assert [auth.login("maya@example.org", "guess").status_code for _ in range(3)] == [401] * 3


def test_counters_in_redis_are_shared_between_processes(redis_url):
    prefix = f"test-{uuid.uuid4().hex}"
    worker_one = LoginThrottle(
        "secret", per_account=2, per_address=100, redis_url=redis_url, key_prefix=prefix
    )
    worker_two = LoginThrottle(
        "secret", per_account=2, per_address=100, redis_url=redis_url, key_prefix=prefix
    )

    worker_one.failed("maya@example.org", "192.0.2.1")
    worker_two.failed("maya@example.org", "192.0.2.2")

    assert worker_one.retry_after("maya@example.org", "192.0.2.3") > 0
    stored = redis.Redis.from_url(redis_url).keys(f"{prefix}*")
    assert stored and not any(b"192.0.2" in key or b"maya" in key for key in stored)


def test_counters_in_the_database_are_shared_between_processes(app):
    worker_one = LoginThrottle("secret", per_account=2, per_address=100)
    worker_two = LoginThrottle("secret", per_account=2, per_address=100)

    with app.app_context():
        worker_one.failed("maya@example.org", "192.0.2.1")
        db.session.commit()
    with app.app_context():
        worker_two.failed("Maya@example.org ", "192.0.2.2")
        db.session.commit()

    with app.app_context():
        assert worker_one.retry_after("maya@example.org", "192.0.2.3") > 0
        keys = db.session.scalars(select(LoginFailure.key)).all()
    assert len(keys) == 4 and not any("192.0.2" in key or "maya" in key for key in keys)


def test_old_failures_stop_counting_and_are_forgotten(app):
    throttle = LoginThrottle("secret", per_account=2, per_address=100)
    with app.app_context():
        for _ in range(2):
            throttle.failed("maya@example.org", "192.0.2.1")
        db.session.commit()
        assert throttle.retry_after("maya@example.org", "192.0.2.1") > 0

        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16)):
            assert throttle.retry_after("maya@example.org", "192.0.2.1") == 0
            throttle.failed("sam@example.org", "192.0.2.9")
            db.session.commit()

        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 2


def test_with_redis_down_logins_still_work_and_are_still_limited(database_config, caplog):
    app = make_app(
        database_config,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        LOGIN_FAILURES_PER_ACCOUNT=3,
    )
    create_database(app)
    try:
        create_user(app, email="maya@example.org")
        create_user(app, email="sam@example.org")
        auth = AuthActions(app, app.test_client())
        with caplog.at_level("WARNING", logger="app.throttle"):
            statuses = [auth.login("maya@example.org", "guess").status_code for _ in range(4)]
            statuses.append(auth.login("sam@example.org").status_code)
    finally:
        drop_database(app)

    assert statuses == [401, 401, 401, 429, 302]
    outage = [record for record in caplog.records if "Redis unavailable" in record.message]
    assert len(outage) == 1


def test_counting_moves_back_to_redis_when_it_returns(app, redis_url, caplog):
    throttle = LoginThrottle(
        "secret", per_account=5, per_address=100, redis_url=f"redis://127.0.0.1:{free_port()}/0"
    )
    with app.app_context(), caplog.at_level("WARNING", logger="app.throttle"):
        throttle.failed("maya@example.org", "192.0.2.1")  # Redis down: into the database
        throttle.redis = LoginThrottle(
            "secret", 5, 100, redis_url=redis_url, key_prefix=f"test-{uuid.uuid4().hex}"
        ).redis
        throttle.redis_failed_at -= 60  # the retry interval has passed
        throttle.failed("maya@example.org", "192.0.2.1")

    assert [record.message.split(" (")[0].split(":")[0] for record in caplog.records] == [
        "Redis unavailable",
        "Redis is back",
    ]


@pytest.mark.parametrize("store", ["database", "redis", "redis down"])
def test_the_limit_holds_across_gunicorn_workers(store, tmp_path, request):
    database = f"sqlite:///{tmp_path / 'workers.sqlite'}"
    app = make_app({"SQLALCHEMY_DATABASE_URI": database})
    create_database(app)
    create_user(app, email="maya@example.org")
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": "workers",
        "LOGIN_FAILURES_PER_ACCOUNT": "4",
        "THROTTLE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    env.pop("REDIS_URL", None)
    if store == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    elif store == "redis down":
        env["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    log = tmp_path / "gunicorn.log"
    try:
        with Gunicorn(env=env, workers=3, log=log) as server:
            statuses = [_attempt_login(server.url, "maya@example.org", "guess") for _ in range(4)]
            statuses.append(_attempt_login(server.url, "maya@example.org", PASSWORD))
    finally:
        with app.app_context():
            db.engine.dispose()

    assert statuses == [401, 401, 401, 401, 429]
    written = log.read_text()
    assert "Traceback" not in written
    # one line per outage in each worker that met it, never one per request
    assert written.count("Redis unavailable") <= (3 if store == "redis down" else 0)


def _attempt_login(base: str, email: str, password: str) -> int:
    """One log-in attempt as a new browser: its own cookies, a new connection each request."""

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{base}/login", timeout=5) as page:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.read().decode())
    data = urlencode({"email": email, "password": password, "csrf_token": token.group(1)}).encode()
    try:
        with opener.open(f"{base}/login", data=data, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code
