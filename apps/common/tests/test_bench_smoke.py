"""The API and board benchmarks keep working: each runs end to end at a tiny size and prints its table.

Both broke silently once (a service they seeded with was renamed; the page's CSP refused Playwright's eval), because
nothing ran them between `make bench` runs. Only the shape of the output is checked: figures are never asserted.
"""

import subprocess
import sys

import pytest

from apps.common.tests.utils import BASE_DIR, subprocess_env

pytestmark = pytest.mark.slow


def run_bench(*argv: str) -> str:
    # Each benchmark makes its own throwaway SQLite database; the test run's services are not needed.
    env = subprocess_env(DATABASE_URL=None, REDIS_URL=None, TASKFLOW_REQUIRE_SERVICES=None, DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-m", *argv], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_api_bench_prints_its_table():
    out = run_bench("bench.api_bench", "--tasks", "20", "--runs", "2")
    assert "| request | median | p95 | queries |" in out, out


def test_board_bench_prints_its_table():
    out = run_bench("bench.board", "--tasks", "30", "--runs", "1")
    assert "| board ready (reload) |" in out, out
    assert "| filter (priority chip) |" in out, out
