import pytest
import pytest_asyncio
from asgiref.sync import SyncToAsync
from channels.layers import channel_layers
from django.db import connections


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
    from apps.notifications.tests.ws import close_all

    await close_all()
