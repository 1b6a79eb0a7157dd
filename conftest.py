"""Project-wide fixtures and the service policy.

Tests that need PostgreSQL or Redis carry the `postgres` / `redis` marker. Without the service they are skipped, so a
fresh machine passes `make test`; with TASKFLOW_REQUIRE_SERVICES=1 (CI's second run) a missing service fails them.
"""

import asyncio
import os

import dramatiq
import pytest
import pytest_asyncio
from asgiref.sync import SyncToAsync
from channels.layers import channel_layers
from django.conf import settings
from django.db import connections
from rest_framework.test import APIClient

REQUIRE_SERVICES = os.environ.get("TASKFLOW_REQUIRE_SERVICES") == "1"


def _using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] in {"django.db.backends.postgresql", "apps.common.postgresql"}


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SERVICES:
        missing = [
            name
            for name, ok in (("DATABASE_URL (PostgreSQL)", _using_postgres()), ("REDIS_URL", settings.REDIS_URL))
            if not ok
        ]
        if missing:
            raise pytest.UsageError(f"TASKFLOW_REQUIRE_SERVICES=1 but not configured: {', '.join(missing)}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, available, what in (
        ("postgres", _using_postgres(), "PostgreSQL (set DATABASE_URL)"),
        ("redis", bool(settings.REDIS_URL), "Redis (set REDIS_URL)"),
    ):
        if item.get_closest_marker(marker) and not available:
            if REQUIRE_SERVICES:
                pytest.fail(f"needs {what}, and TASKFLOW_REQUIRE_SERVICES=1")
            pytest.skip(f"needs {what}")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs ~0.3 s a user; tests make hundreds of users and test no hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_background_suggestions(settings):
    # Loading the model costs seconds; only the assist tests that exercise the suggestion job turn it back on.
    settings.ASSIST_PRIORITY_SUGGESTIONS = False
    # Nor does a server or worker started by a test warm it (ASSIST_WARM_ON_START defaults to on without DEBUG).
    settings.ASSIST_WARM_ON_START = False


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own layer instance: layers hold per-event-loop state and pytest-asyncio loops are per test."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _close_async_thread_connections():
    """Async tests reach the ORM through asgiref's single sync thread; close its connection after each test so the
    test database can be flushed and dropped."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


@pytest_asyncio.fixture
async def close_sockets():
    """For async WebSocket tests: no consumer outlives its test."""
    yield
    from apps.realtime.fanout import _fanouts
    from apps.realtime.tests.ws import close_all

    await close_all()
    # And the loop's fan-out (its Redis reader) stops here, before pytest-asyncio closes the loop.
    fanout = _fanouts.get(asyncio.get_running_loop())
    if fanout is not None:
        await fanout.aclose()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    from apps.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from apps.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def auth_client(user) -> APIClient:
    """An APIClient carrying a real access JWT for `user`."""
    return client_for(user)


def client_for(user) -> APIClient:
    from ninja_jwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    client.user = user
    return client


@pytest.fixture
def make_client(db):
    """Build an authenticated APIClient for any user: `make_client(user)`."""
    return client_for


@pytest.fixture
def project(user):
    """A project owned by `user`."""
    from apps.projects.tests.factories import ProjectFactory

    return ProjectFactory(owner=user)


@pytest.fixture
def member(project):
    """A plain member of `project`."""
    from apps.projects.tests.factories import MembershipFactory

    return MembershipFactory(project=project).user


@pytest.fixture
def events(monkeypatch):
    """Every event dispatched after commit, as (group, event) pairs."""
    from apps.common import events as events_module

    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(events_module, "dispatch", lambda group, event: sent.append((group, event)))
    return sent


@pytest.fixture
def stub_broker(settings):
    """A StubBroker with the project's middleware in place of the configured broker (Redis in CI), actors moved over."""
    import dramatiq
    from django_dramatiq.middleware import DbConnectionsMiddleware
    from dramatiq.brokers.stub import StubBroker
    from dramatiq.middleware import AgeLimit, Callbacks, CurrentMessage, Retries, TimeLimit

    original = dramatiq.get_broker()
    broker = StubBroker(
        middleware=[AgeLimit(), TimeLimit(), Callbacks(), Retries(), CurrentMessage(), DbConnectionsMiddleware()]
    )
    broker.emit_after("process_boot")
    actors = [original.get_actor(name) for name in original.get_declared_actors()]
    for actor in actors:
        actor.broker = broker
        broker.declare_actor(actor)
    dramatiq.set_broker(broker)
    yield broker
    for actor in actors:
        actor.broker = original
    dramatiq.set_broker(original)


@pytest.fixture
def stub_worker(stub_broker):
    import dramatiq

    worker = dramatiq.Worker(stub_broker, worker_timeout=50, worker_threads=1)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def redis_jobs(settings):
    """No grace period, and a Redis queue with nothing left over from other tests."""
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0
    dramatiq.get_broker().flush_all()
    yield
    dramatiq.get_broker().flush_all()
