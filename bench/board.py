"""Benchmark of the board in Chromium with a 2,000-task project: board ready, a search, a filter.

    DEBUG=1 .venv/bin/python -m bench.board [--tasks 2000] [--runs 7]

Seeds one project on a throwaway SQLite database, serves it with Daphne (embedded mode, as `make run`) and drives
the Debian Chromium (/usr/bin/chromium) headless through Playwright. Times are taken inside the page:
- board ready: from navigation start to the board's `taskflow:board-ready` mark (every column's first page read and
  drawn, the socket live first), after a reload;
- search, filter: from the submit of the search box (or the click of a chip) to that mark again.
Medians and the slowest run over --runs, after one warm-up of each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import textwrap
from pathlib import Path

PASSWORD = "bench-password-1"
CHROMIUM = "/usr/bin/chromium"

SEED = """
import random
from django.contrib.auth import get_user_model
from apps.projects.services import membership_add, project_create
from apps.tasks.models import Task
from django.utils import timezone
from datetime import timedelta

owner = get_user_model().objects.create_user(username="owner", email="owner@example.com", password={password!r})
other = get_user_model().objects.create_user(username="other", email="other@example.com", password={password!r})
project = project_create(actor=owner, name="Big project")
membership_add(actor=owner, project=project, user=other)
rng = random.Random(7)
now = timezone.now()
words = ["invoice", "login", "deploy", "report", "backup", "email", "search", "billing", "cache", "docs"]
Task.objects.bulk_create(
    [
        Task(
            project=project,
            title=f"Task {{n}}: {{rng.choice(words)}} {{rng.choice(words)}}",
            description=f"Details of task {{n}} about {{rng.choice(words)}}.",
            status=rng.choice(["todo", "todo", "in_progress", "blocked", "done", "done"]),
            priority=rng.choice(["low", "medium", "high"]),
            due_at=None if n % 3 == 0 else now + timedelta(hours=rng.randint(-240, 480)),
            assignee=rng.choice([owner, other, None]),
            created_by=owner,
        )
        for n in range({tasks})
    ],
    batch_size=500,
)
print(project.pk)
"""

MARK = "taskflow:board-ready"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from apps.common.tests.utils import DaphneProcess, manage, subprocess_env

    workdir = Path(tempfile.mkdtemp(prefix="taskflow-board-bench-"))
    env = subprocess_env(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        REDIS_URL=None,
        ALLOWED_HOSTS="127.0.0.1",
        ASSIST_PRIORITY_SUGGESTIONS="0",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    for command in (
        ["migrate", "--noinput"],
        ["shell", "-c", textwrap.dedent(SEED.format(password=PASSWORD, tasks=args.tasks))],
    ):
        result = manage(*command, env=env, timeout=600)
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)
    project_id = int(result.stdout.strip().splitlines()[-1])

    daphne = DaphneProcess(env, workdir / "daphne.log")
    try:
        daphne.wait_ready()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page = browser.new_page(base_url=daphne.url, viewport={"width": 1360, "height": 860})
            page.goto("/login/")
            page.get_by_label("Username").fill("owner")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{daphne.url}/**")
            page.goto(f"/#project-{project_id}")
            results = measure(page, args.runs)
            cards = page.locator("#board .card").count()
            browser.close()
    finally:
        daphne.stop()

    print("## Board in Chromium\n")
    print(f"Command: `DEBUG=1 .venv/bin/python -m bench.board --tasks {args.tasks} --runs {args.runs}`  ")
    print(f"{args.tasks} tasks in one project (SQLite, embedded mode, one Daphne); {cards} cards drawn at first\n")
    print("| action | median | slowest |")
    print("|---|---|---|")
    for name, timings in results.items():
        print(f"| {name} | {statistics.median(timings):.0f} ms | {max(timings):.0f} ms |")


def wait_mark(page) -> float:
    # A function, not an expression: Playwright evals a bare expression, which the page's CSP refuses.
    page.wait_for_function(f"() => performance.getEntriesByName({MARK!r}).length > 0", timeout=30_000)
    return page.evaluate(f"performance.getEntriesByName({MARK!r}).at(-1).startTime")


API_READS = (
    "Math.max(0, ...performance.getEntriesByType('resource')"
    ".filter(e => e.name.includes('/api/tasks/')).map(e => e.duration))"
)


def timed(page, action: str) -> tuple[float, float]:
    """Run `action` (JavaScript) in the page; the milliseconds until the board is drawn again, and of those the
    slowest /api/tasks/ read (the columns are read in parallel)."""
    started = page.evaluate(
        f"performance.clearMarks({MARK!r}); performance.clearResourceTimings();"
        f" const t = performance.now(); {action}; t"
    )
    return wait_mark(page) - started, page.evaluate(API_READS)


def measure(page, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "board ready (reload)": [],
        "search": [],
        "search: slowest column read": [],
        "filter (priority chip)": [],
        "filter: slowest column read": [],
    }
    search = "const f = document.getElementById('find-form'); f.elements.q.value = {!r}; f.requestSubmit()"
    chip = 'document.querySelector(\'[data-filter="priority"][data-value="high"]\').click()'
    for run in range(runs + 1):
        page.reload()
        ready = wait_mark(page)
        searched, search_read = timed(page, search.format(f"invoice {run}"))
        timed(page, search.format(""))
        filtered, filter_read = timed(page, chip)
        timed(page, chip)  # off again
        if run == 0:
            continue  # warm-up
        results["board ready (reload)"].append(ready)
        results["search"].append(searched)
        results["search: slowest column read"].append(search_read)
        results["filter (priority chip)"].append(filtered)
        results["filter: slowest column read"].append(filter_read)
    return results


if __name__ == "__main__":
    main()
