"""bench/realtime.py keeps working: its --quick mode (tiny N, short runs) runs end to end and prints its tables.

Only the shape of the output is checked: benchmark figures are never asserted (they belong in BENCHMARKS.md).
"""

import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from apps.common.tests.utils import BASE_DIR, subprocess_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_quick_mode_prints_the_table():
    db = settings.DATABASES["default"]
    server_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "bench.realtime", "--quick"),
            *("--database-url", server_url, "--database", f"taskflow_rtbench_{uuid.uuid4().hex[:8]}"),
        ],
        cwd=BASE_DIR,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "| measure | TaskFlow | stock reference | ratio |" in out
    for row in (
        "server CPU per delivery, 20 sockets, 1 event/s",
        "deliveries/s at saturation",
        "receipt latency p99",
        "idle memory per socket",
        "server CPU per handshake",
        "server CPU per PATCH",
        "PATCH to frame, 1 subscriber",
        "PATCH to frame, 5 subscribers",
        "reconnect storm, 20 clients: all back",
        "reconnect storm, server CPU per reconnect",
    ):
        assert f"| {row}" in out, out
