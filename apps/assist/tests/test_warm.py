"""The model is warmed in the background when a web or worker process starts, if ASSIST_WARM_ON_START is on."""

import threading

import pytest
from django.conf import settings as django_settings

from apps.assist import warm
from apps.assist.priority import service


@pytest.fixture
def recorded(monkeypatch):
    """warm_up and the first pass replaced by recorders, and a fresh 'not started yet' state for this test."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(warm, "_thread", None)
    monkeypatch.setattr(service, "warm_up", lambda: calls.append(("load", threading.current_thread().name)))
    monkeypatch.setattr(
        service, "suggest_text_priority", lambda **kwargs: calls.append(("pass", threading.current_thread().name))
    )
    return calls


def test_on_start_the_model_loads_in_a_background_thread_once(settings, recorded):
    settings.ASSIST_WARM_ON_START = True
    thread = warm.warm_in_background()
    assert thread is not None and thread.daemon
    thread.join(timeout=10)
    assert recorded == [("load", "assist-warm-up"), ("pass", "assist-warm-up")]
    assert warm.warm_in_background() is thread  # once per process
    thread.join(timeout=10)
    assert len(recorded) == 2


def test_off_means_nothing_is_loaded(settings, recorded):
    settings.ASSIST_WARM_ON_START = False
    assert warm.warm_in_background() is None
    assert recorded == []


def test_tests_run_with_it_off_by_default():
    # The root conftest turns it off: a Daphne or worker started by a test does not load the model for nothing.
    assert django_settings.ASSIST_WARM_ON_START is False


def test_a_model_failure_is_logged_not_raised(settings, monkeypatch, caplog):
    from apps.assist.errors import PriorityModelUnavailable

    settings.ASSIST_WARM_ON_START = True
    monkeypatch.setattr(warm, "_thread", None)

    def unavailable():
        raise PriorityModelUnavailable("Priority suggestion is unavailable: the model file is missing or damaged.")

    monkeypatch.setattr(service, "warm_up", unavailable)
    warm.warm_in_background().join(timeout=10)
    assert "priority model not warmed" in caplog.text


def test_worker_processes_warm_after_boot(settings, recorded):
    settings.ASSIST_WARM_ON_START = True
    assert "apps.assist.warm.WarmOnWorkerBoot" in django_settings.DRAMATIQ_BROKER["MIDDLEWARE"]
    warm.WarmOnWorkerBoot().after_worker_boot(broker=None, worker=None)
    warm._thread.join(timeout=10)
    assert [kind for kind, _ in recorded] == ["load", "pass"]


def test_the_web_process_warms_when_the_asgi_application_is_built():
    from pathlib import Path

    source = (Path(django_settings.BASE_DIR) / "taskflow" / "asgi.py").read_text()
    assert "warm_in_background()" in source
