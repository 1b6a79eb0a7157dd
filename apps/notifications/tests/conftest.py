import pytest
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


@pytest.fixture
def stub_broker(settings):
    """A StubBroker with the project's middleware in place of the configured broker (Redis in CI), actors moved over."""
    import dramatiq
    from django_dramatiq.middleware import DbConnectionsMiddleware
    from dramatiq.brokers.stub import StubBroker
    from dramatiq.middleware import AgeLimit, Callbacks, Retries, TimeLimit

    original = dramatiq.get_broker()
    broker = StubBroker(middleware=[AgeLimit(), TimeLimit(), Callbacks(), Retries(), DbConnectionsMiddleware()])
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
