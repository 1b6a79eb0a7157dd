"""Every manage.py command the Procfile runs exists in the mode production uses (Redis), and so does crontab."""

import re

import pytest

from apps.common.tests.utils import BASE_DIR, manage, subprocess_env


def procfile_commands() -> list[str]:
    return sorted(set(re.findall(r"manage\.py (\w+)", (BASE_DIR / "Procfile").read_text())))


def test_the_procfile_runs_the_worker_and_the_scheduler_that_survive_faults():
    assert procfile_commands() == ["migrate", "scheduler", "worker"]


@pytest.mark.parametrize("command", [*procfile_commands(), "crontab"])
def test_the_command_exists_in_redis_mode(command):
    # `help` loads the command without running it; no Redis needs to answer.
    env = subprocess_env(DEBUG="1", REDIS_URL="redis://127.0.0.1:6399/0", DATABASE_URL="sqlite:///unused.sqlite3")
    result = manage("help", command, env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unknown command" not in result.stderr
