import pytest

from apps.common import embedded_worker
from apps.common.tests.utils import DaphneProcess, manage, subprocess_env


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/srv/.venv/bin/daphne", "-p", "8000", "taskflow.asgi:application"], True),
        (["manage.py", "runserver"], True),
        (["manage.py", "migrate"], False),
        (["manage.py", "rundramatiq"], False),
        (["/srv/.venv/bin/pytest"], False),
        ([], False),
    ],
)
def test_only_server_processes_count(argv, expected):
    assert embedded_worker.is_server_process(argv) is expected


def test_never_starts_under_tests(settings):
    settings.EMBEDDED_MODE = True
    assert embedded_worker.start_embedded_worker(["daphne", "taskflow.asgi:application"]) is None
    import taskflow.asgi  # noqa: F401  (importing the application must not start it either)

    assert embedded_worker._worker is None


def test_not_chosen_with_redis(settings, monkeypatch):
    settings.EMBEDDED_MODE = False
    monkeypatch.delitem(__import__("sys").modules, "pytest")
    try:
        assert embedded_worker.should_start(["daphne"]) is False
    finally:
        monkeypatch.undo()


def test_other_management_commands_do_not_start_it(tmp_path):
    env = subprocess_env(DEBUG="1", REDIS_URL=None, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = "import taskflow.asgi; from apps.common import embedded_worker as w; print('worker', w._worker)"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert "worker None" in result.stdout


@pytest.mark.slow
def test_daphne_starts_it_in_embedded_mode_only(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    embedded = subprocess_env(DEBUG="1", REDIS_URL=None, DATABASE_URL=sqlite)
    with DaphneProcess(embedded, tmp_path / "embedded.log") as server:
        pass
    assert "embedded Dramatiq worker started" in server.output()

    with_redis = subprocess_env(DEBUG="1", REDIS_URL="redis://127.0.0.1:1/0", DATABASE_URL=sqlite)
    with DaphneProcess(with_redis, tmp_path / "redis.log") as server:
        pass
    assert "embedded Dramatiq worker" not in server.output()
