"""Benchmark of the task API in-process: list, filter, create and PATCH latency, and queries per request.

    DEBUG=1 .venv/bin/python -m bench.api_bench [--tasks 2000] [--runs 50] [--database-url URL]

Runs against a throwaway database (a temporary SQLite file unless --database-url names another, which is created
and dropped by Django's test-database machinery), through Django's test client with a real JWT: no network, so the
figures are the server's own cost per request. Medians over --runs after one warm-up request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable


def _median_ms(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="taskflow-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
    os.environ["ASSIST_PRIORITY_SUGGESTIONS"] = "0"  # measure the API, not the model
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from ninja_jwt.tokens import AccessToken
    from rest_framework.test import APIClient

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model

        from apps.projects.services import membership_add, project_create
        from apps.tasks.models import Task

        owner = get_user_model().objects.create_user(
            username="owner", email="owner@example.com", password="bench-password-1"
        )
        member = get_user_model().objects.create_user(
            username="member", email="member@example.com", password="bench-password-1"
        )
        project = project_create(actor=owner, name="Bench")
        membership_add(actor=owner, project=project, user=member)
        statuses, priorities = ["todo", "in_progress", "blocked", "done"], ["low", "medium", "high"]
        Task.objects.bulk_create(
            Task(
                project=project,
                title=f"Task {n}",
                description="Benchmark task with a short description",
                status=statuses[n % 4],
                priority=priorities[n % 3],
                assignee=member if n % 2 else None,
                created_by=owner,
            )
            for n in range(args.tasks)
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(owner)}")
        task_id = Task.objects.order_by("id").values_list("id", flat=True).first()

        def queries(call) -> int:
            with CaptureQueriesContext(connection) as captured:
                call()
            return len(captured)

        counter = {"n": 0}

        def create():
            counter["n"] += 1
            client.post("/api/tasks/", {"project": project.id, "title": f"new {counter['n']}"}, format="json")

        def patch():
            counter["n"] += 1
            client.patch(f"/api/tasks/{task_id}/", {"title": f"renamed {counter['n']}"}, format="json")

        cases = [
            ("GET /api/tasks/?page_size=50", lambda: client.get("/api/tasks/?page_size=50")),
            ("GET /api/tasks/?page_size=200", lambda: client.get("/api/tasks/?page_size=200")),
            (
                "GET /api/tasks/?status=in_progress&assignee=<member>&ordering=-priority",
                lambda: client.get(f"/api/tasks/?status=in_progress&assignee={member.id}&ordering=-priority"),
            ),
            ("GET /api/tasks/?search=Task 1999", lambda: client.get("/api/tasks/?search=Task%201999")),
            ("GET /api/tasks/{id}/", lambda: client.get(f"/api/tasks/{task_id}/")),
            ("POST /api/tasks/", create),
            ("PATCH /api/tasks/{id}/", patch),
        ]
        vendor = connection.vendor
        print("## Task API benchmark\n")
        command = f"DEBUG=1 .venv/bin/python -m bench.api_bench --tasks {args.tasks} --runs {args.runs}"
        if args.database_url:
            command += f" --database-url {args.database_url}"
        print(f"Command: `{command}`  ")
        print(f"Database: {vendor}, {args.tasks} tasks in one project; in-process test client, JWT auth\n")
        print("| request | median | p95 | queries |")
        print("|---|---|---|---|")
        for name, call in cases:
            median, p95 = _median_ms(call, args.runs)
            print(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {queries(call)} |")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
