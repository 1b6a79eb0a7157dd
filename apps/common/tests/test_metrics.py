"""`/metrics`: off unless enabled, only with the bearer token, Prometheus text with the live path's counters."""

import time

import dramatiq
import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from prometheus_client import REGISTRY

from apps.accounts.tests.factories import UserFactory
from apps.common.metrics import JobQueueLatency
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.realtime.tests.ws import access_token, next_of_type, open_socket
from apps.tasks import services as task_services

TOKEN = "metrics-test-token"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN


def sample(name: str, labels: dict | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_disabled_metrics_is_not_found(settings):
    settings.METRICS_ENABLED = False
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.usefixtures("metrics_on")
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"])
def test_metrics_needs_the_bearer_token(header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"taskflow_" not in response.content


@pytest.mark.usefixtures("metrics_on")
def test_metrics_answers_prometheus_text_with_the_live_counters():
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    for name in (
        "taskflow_ws_sockets_open",
        "taskflow_ws_deliveries_total",
        "taskflow_ws_resumes_total",
        "taskflow_ws_handshake_seconds",
        "taskflow_job_queue_latency_seconds",
        "taskflow_events_published_total",
        "taskflow_event_publish_failures_total",
    ):
        assert f"# TYPE {name} " in body, name


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_sockets", "metrics_on")
async def test_a_delivery_moves_the_counters():
    owner, member = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    project = await sync_to_async(ProjectFactory)(owner=owner)
    await sync_to_async(MembershipFactory)(project=project, user=member)
    before = {
        name: sample(name)
        for name in ("taskflow_ws_deliveries_total", "taskflow_ws_sockets_open", "taskflow_ws_handshake_seconds_count")
    }
    published = sample("taskflow_events_published_total", {"type": "task.created"})
    ws = await open_socket(access_token(member))
    assert sample("taskflow_ws_sockets_open") == before["taskflow_ws_sockets_open"] + 1
    assert sample("taskflow_ws_handshake_seconds_count") == before["taskflow_ws_handshake_seconds_count"] + 1
    await sync_to_async(task_services.task_create)(actor=owner, project=project, title="Counted")
    await next_of_type(ws, "task.created")
    assert sample("taskflow_ws_deliveries_total") >= before["taskflow_ws_deliveries_total"] + 1
    assert sample("taskflow_events_published_total", {"type": "task.created"}) == published + 1
    resumes = sample("taskflow_ws_resumes_total")
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    await ws.send_json_to({"type": "ping"})
    await next_of_type(ws, "pong")
    assert sample("taskflow_ws_resumes_total") == resumes + 1
    body = (await sync_to_async(Client().get)("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")).content.decode()
    assert f"taskflow_ws_deliveries_total {sample('taskflow_ws_deliveries_total')}" in body
    await ws.disconnect()
    assert sample("taskflow_ws_sockets_open") == before["taskflow_ws_sockets_open"]


def test_job_queue_latency_is_observed_from_enqueue_or_eta():
    middleware = JobQueueLatency()
    labels = {"queue": "metrics-test"}
    count, total = (sample(f"taskflow_job_queue_latency_seconds_{s}", labels) for s in ("count", "sum"))
    now_ms = int(time.time() * 1000)
    waited = dramatiq.Message(
        queue_name="metrics-test", actor_name="a", args=(), kwargs={}, options={}, message_timestamp=now_ms - 3000
    )
    middleware.before_process_message(None, waited)
    delayed = dramatiq.Message(
        queue_name="metrics-test",
        actor_name="a",
        args=(),
        kwargs={},
        options={"eta": now_ms - 1000},
        message_timestamp=now_ms - 60_000,
    )
    middleware.before_process_message(None, delayed)
    assert sample("taskflow_job_queue_latency_seconds_count", labels) == count + 2
    observed = sample("taskflow_job_queue_latency_seconds_sum", labels) - total
    assert 4 <= observed < 6  # 3 s since the enqueue, 1 s since the eta (not 60 s since the enqueue)


def test_enabling_metrics_needs_a_token_and_then_loads_django_prometheus():
    from apps.common.tests.utils import manage, subprocess_env

    refused = manage("check", env=subprocess_env(METRICS_ENABLED="1", METRICS_TOKEN=None, DEBUG="1"))
    assert refused.returncode != 0
    assert "METRICS_ENABLED needs METRICS_TOKEN" in refused.stderr
    enabled = manage(
        "shell",
        "-c",
        "from django.conf import settings; print('django_prometheus' in settings.INSTALLED_APPS, "
        "settings.MIDDLEWARE[0].endswith('PrometheusBeforeMiddleware'))",
        env=subprocess_env(METRICS_ENABLED="1", METRICS_TOKEN="t0ken", DEBUG="1"),
    )
    assert enabled.returncode == 0, enabled.stderr
    assert enabled.stdout.strip().splitlines()[-1] == "True True"
