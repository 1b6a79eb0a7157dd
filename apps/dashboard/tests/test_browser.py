"""The dashboard in a real Chromium against a real Daphne: people in one project see each other's work arrive live.

Each test gets its own server and SQLite file (copied from one migrated per module), REDIS_URL unset (the in-memory
channel layer: one process is the whole system) and no GROQ key (enhancement answers 503 "not configured").
"""

import json
import os
import re
import shutil
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from apps.common.tests import utils
from apps.common.tests.utils import DaphneProcess, manage, subprocess_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery-9"
# Live changes cross a socket and a thread pool; allow for a slow CI machine without hiding a real miss.
expect.set_options(timeout=10_000)


def server_env(db_path: Path, **overrides: str | None) -> dict[str, str]:
    settings = {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "REDIS_URL": None,
        "ALLOWED_HOSTS": "127.0.0.1",
        "GROQ_API_KEY": None,
        "EMAIL_URL": "consolemail://",
        # The priority model ships in a package; like `make`, never let a test reach for the Hugging Face hub.
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        # Background suggestions load the model in the server (seconds of CPU); only the test about them turns them on.
        "ASSIST_PRIORITY_SUGGESTIONS": "0",
        "TASKFLOW_REQUIRE_SERVICES": None,
    }
    return subprocess_env(**{**settings, **overrides})


class LiveServer:
    """A Daphne that can be stopped and started again on the same port, the way a deploy restarts one."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.logs: list[Path] = []
        self.daphne: DaphneProcess | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.log_dir / f"daphne-{len(self.logs) + 1}.log"
        self.logs.append(log)
        with pytest.MonkeyPatch.context() as patch:
            if self.port is not None:  # browsers reconnect to the address they know
                patch.setattr(utils, "free_port", lambda: self.port)
            self.daphne = DaphneProcess(self.env, log)
        self.port = self.daphne.port
        self.daphne.wait_ready()

    def stop(self) -> None:
        if self.daphne is not None:
            self.daphne.stop()
            self.daphne = None

    def output(self) -> str:
        return "\n".join(log.read_text() for log in self.logs if log.exists())

    def shell(self, code: str) -> str:
        result = manage("shell", "-c", textwrap.dedent(code), env=self.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("TASKFLOW_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} is missing, and TASKFLOW_REQUIRE_SERVICES=1 (apt-get install chromium)")
        pytest.skip(f"needs {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "db.sqlite3"
    result = manage("migrate", "--noinput", env=server_env(path))
    assert result.returncode == 0, result.stdout + result.stderr
    return path


@pytest.fixture
def server_overrides(request) -> dict[str, str]:
    """Environment for the server beyond server_env(); a test sets it with indirect parametrization."""
    return getattr(request, "param", {})


@pytest.fixture
def server(migrated_db, tmp_path, server_overrides):
    db_path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_db, db_path)
    live = LiveServer(server_env(db_path, **server_overrides), tmp_path)
    live.start()
    yield live
    live.stop()
    print(live.output())  # shown by pytest only when the test failed


@pytest.fixture
def sign_in(browser: Browser, server: LiveServer):
    """Open the dashboard as `username` in a browser context of its own (own cookies, own time zone)."""
    contexts = []

    def open_as(username: str, timezone_id: str) -> Page:
        context = browser.new_context(
            base_url=server.url, viewport={"width": 1360, "height": 860}, locale="en-US", timezone_id=timezone_id
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/(#project-\d+)?$"))
        expect(page.locator("#live-status")).to_have_text("Live")
        # A marker that only survives while this stays the same document: "live" must never mean "reloaded".
        page.evaluate("window.sameDocument = true")
        return page

    yield open_as
    for context in contexts:
        context.close()


def register(server: LiveServer, *usernames: str) -> None:
    for username in usernames:
        response = httpx.post(
            f"{server.url}/api/auth/register/",
            json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        )
        assert response.status_code == 202, response.text


def api_as(server: LiveServer, username: str) -> httpx.Client:
    token = httpx.post(f"{server.url}/api/auth/token/", json={"username": username, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token.json()['access']}"})


def post(client: httpx.Client, path: str, body: dict) -> dict:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def column(page: Page, status: str):
    return page.locator(f'.column[data-status="{status}"]')


def card(page: Page, title: str, status: str | None = None):
    scope = column(page, status) if status else page.locator("#board")
    return scope.locator(".card").filter(has=page.get_by_role("button", name=title, exact=True))


def still_same_document(page: Page) -> bool:
    return page.evaluate("window.sameDocument === true")


def test_two_members_see_each_others_changes_live(server, sign_in, tmp_path):
    register(server, "alice", "bob")
    alice = sign_in("alice", "America/New_York")

    # Alice makes the project and brings Bob in, through the page.
    alice.get_by_text("New project").click()
    alice.get_by_label("Name", exact=True).fill("Launch")
    alice.get_by_role("button", name="Create project").click()
    expect(alice.get_by_role("heading", name="Launch", level=1)).to_be_visible()
    alice.get_by_label("Add by username").fill("bob")
    alice.get_by_role("button", name="Add member").click()
    expect(alice.locator("#member-list")).to_contain_text("bob")

    bob = sign_in("bob", "Asia/Tokyo")
    expect(bob.get_by_role("heading", name="Launch", level=1)).to_be_visible()  # his only project opens by itself
    expect(bob.locator("#member-form")).to_be_hidden()  # members cannot add people
    expect(bob.locator("#bell-count")).to_be_hidden()

    # Alice creates a task for Bob, due at 9:00 on her New York clock.
    alice.get_by_text("New task").click()
    form = alice.locator("#task-form")
    form.get_by_label("Title").fill("Write release notes")
    form.get_by_label("Description").fill("Summarise the changes of 2.0 for customers.")
    form.get_by_label("Priority").select_option("high")
    form.get_by_label("Due").fill("2030-03-01T09:00")
    form.get_by_label("Assignee").select_option(label="bob")
    form.get_by_role("button", name="Create task").click()
    expect(card(alice, "Write release notes", "todo")).to_be_visible()

    # Bob's board gains the card and his bell counts the assignment, without a reload.
    bob_card = card(bob, "Write release notes", "todo")
    expect(bob_card).to_be_visible()
    expect(bob_card).to_contain_text("High")
    expect(bob_card).to_contain_text("@bob")
    # 9:00 in New York (UTC-5 in March) is 14:00 UTC, which is 23:00 in Tokyo.
    expect(bob_card).to_contain_text(re.compile(r"Due Mar 1, 2030, 11:00\sPM"))
    expect(bob.locator("#bell-count")).to_have_text("1")
    stored = alice.request.get("/api/tasks/").json()["results"]
    assert [(task["title"], task["due_at"]) for task in stored] == [("Write release notes", "2030-03-01T14:00:00Z")]

    # Alice starts it; Bob sees the card change columns and hears of it.
    card(alice, "Write release notes").get_by_label("Status of Write release notes").select_option("in_progress")
    expect(card(alice, "Write release notes", "in_progress")).to_be_visible()
    expect(card(bob, "Write release notes", "in_progress")).to_be_visible()
    expect(card(bob, "Write release notes", "todo")).to_have_count(0)
    expect(column(bob, "in_progress").locator('[data-role="count"]')).to_have_text("1")
    expect(bob.locator("#bell-count")).to_have_text("2")
    assert still_same_document(bob)

    bob.get_by_role("button", name="Notifications, 2 unread").click()
    panel = bob.locator("#notification-panel")
    expect(panel).to_contain_text('alice assigned you "Write release notes"')
    expect(panel).to_contain_text('alice moved "Write release notes" from To do to In progress')
    bob.screenshot(path=tmp_path / "bob.png")
    alice.screenshot(path=tmp_path / "alice.png")

    panel.get_by_role("button", name="Mark all read").click()
    expect(bob.locator("#bell-count")).to_be_hidden()
    expect(bob.get_by_role("button", name="Notifications, 0 unread")).to_be_visible()
    assert still_same_document(bob) and still_same_document(alice)
    assert alice.errors == [] and bob.errors == []


def test_an_edit_of_an_older_version_is_refused_and_recoverable(server, sign_in, tmp_path):
    register(server, "carol", "dave")
    with api_as(server, "carol") as carol_api:
        project = post(carol_api, "/api/projects/", {"name": "Data"})
        dave_id = post(carol_api, f"/api/projects/{project['id']}/members/", {"username": "dave"})["user"]["id"]
        body = {"title": "Migrate the database", "description": "Move to PG 17.", "assignee": dave_id}
        post(carol_api, "/api/tasks/", {"project": project["id"], **body})
        post(carol_api, "/api/tasks/", {"project": project["id"], "title": "Check the backups"})
    carol = sign_in("carol", "Europe/Paris")
    dave = sign_in("dave", "Europe/Paris")

    # Dave opens the task and starts editing; Carol blocks it meanwhile.
    card(dave, "Migrate the database").get_by_role("button", name="Migrate the database").click()
    dialog = dave.locator("#task-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Delete task")).to_be_hidden()  # neither its creator nor an owner
    dialog.get_by_label("Title", exact=True).fill("Migrate the database to PG 17")
    card(carol, "Migrate the database").get_by_label("Status of Migrate the database").select_option("blocked")
    expect(dialog.locator('[data-role="remote-change"]')).to_contain_text("newer version of this task (now Blocked)")
    expect(dialog.get_by_label("Title", exact=True)).to_have_value("Migrate the database to PG 17")  # kept

    # His save is refused (409): the panel shows the stored task, says why, and offers his edit back.
    dialog.get_by_role("button", name="Save").click()
    conflict = dialog.locator('[data-role="conflict"]')
    expect(conflict).to_contain_text("changed by someone else")
    expect(dialog.get_by_label("Title", exact=True)).to_have_value("Migrate the database")
    expect(dialog.get_by_label("Status", exact=True)).to_have_value("blocked")
    conflict.get_by_role("button", name="Put my edits back").click()
    expect(dialog.get_by_label("Title", exact=True)).to_have_value("Migrate the database to PG 17")
    dialog.get_by_role("button", name="Save").click()
    expect(card(carol, "Migrate the database to PG 17", "blocked")).to_be_visible()
    expect(conflict).to_be_hidden()  # resolved by that save

    # Enhancement is not configured on this server: a calm note in place, and the form keeps working.
    dialog.get_by_role("button", name="Improve description").click()
    expect(dialog.locator(".assist-note")).to_contain_text("not configured")
    expect(dialog.get_by_label("Description", exact=True)).to_have_value("Move to PG 17.")

    activity = dialog.locator('[data-role="activity"]')
    expect(activity).to_contain_text("carol created the task")
    expect(activity).to_contain_text("assignee: dave")
    expect(activity).to_contain_text("status: To do → Blocked")
    expect(activity).to_contain_text("title: “Migrate the database” → “Migrate the database to PG 17”")
    dave.screenshot(path=tmp_path / "dave-dialog.png")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # Carol deletes the task; it leaves Dave's board.
    card(carol, "Migrate the database to PG 17").get_by_role("button", name="Migrate the database to PG 17").click()
    carol.once("dialog", lambda confirm: confirm.accept())
    carol.locator("#task-dialog").get_by_role("button", name="Delete task").click()
    expect(card(carol, "Migrate the database to PG 17")).to_have_count(0)
    expect(card(dave, "Migrate the database to PG 17")).to_have_count(0)
    expect(card(dave, "Check the backups", "todo")).to_be_visible()
    assert still_same_document(dave) and still_same_document(carol)
    assert carol.errors == [] and dave.errors == []


# The first suggestion loads the model inside the server (seconds on a cold, busy CI machine).
MODEL_TIMEOUT_MS = 90_000
SUGGESTED_HIGH = re.compile(r"Suggested: high \(\d+%\) because: \S")


@pytest.mark.parametrize("server_overrides", [{"ASSIST_PRIORITY_SUGGESTIONS": "1"}], indirect=True, ids=["worker"])
def test_priority_suggestions_are_offered_never_imposed(server, sign_in, tmp_path):
    outage, login = "URGENT: production database is down", "URGENT: the login page is down for all users"
    register(server, "gina")
    with api_as(server, "gina") as gina_api:
        project = post(gina_api, "/api/projects/", {"name": "Support"})
        # Filed as low: the server's worker computes a suggestion after each creation, and it must not touch this.
        outage_id = post(gina_api, "/api/tasks/", {"project": project["id"], "title": outage, "priority": "low"})["id"]
        login_id = post(gina_api, "/api/tasks/", {"project": project["id"], "title": login, "priority": "low"})["id"]
    gina = sign_in("gina", "UTC")
    dialog = gina.locator("#task-dialog")
    suggestion = dialog.locator('[data-role="suggested-priority"]')

    # The suggestion reaches the page (live, if it is computed after the page loaded) and is only shown.
    card(gina, outage).get_by_role("button", name=outage).click()
    expect(suggestion).to_contain_text(SUGGESTED_HIGH, timeout=MODEL_TIMEOUT_MS)
    expect(dialog.get_by_label("Priority", exact=True)).to_have_value("low")
    assert gina.request.get(f"/api/tasks/{outage_id}/").json()["priority"] == "low"
    # "Apply" is the user's change: a PATCH of the priority.
    suggestion.get_by_role("button", name="Apply").click()
    expect(dialog.get_by_label("Priority", exact=True)).to_have_value("high")
    expect(suggestion).to_be_empty()
    expect(card(gina, outage)).to_contain_text("High")
    assert gina.request.get(f"/api/tasks/{outage_id}/").json()["priority"] == "high"
    dialog.get_by_role("button", name="Close").click()

    # "Ignore" hides it, also when the task is opened again, and writes nothing.
    card(gina, login).get_by_role("button", name=login).click()
    expect(suggestion).to_contain_text(SUGGESTED_HIGH, timeout=MODEL_TIMEOUT_MS)
    suggestion.get_by_role("button", name="Ignore").click()
    expect(suggestion).to_be_empty()
    dialog.get_by_role("button", name="Close").click()
    card(gina, login).get_by_role("button", name=login).click()
    expect(dialog.get_by_label("Priority", exact=True)).to_have_value("low")
    expect(suggestion).to_be_empty()
    dialog.get_by_role("button", name="Close").click()
    assert gina.request.get(f"/api/tasks/{login_id}/").json()["priority"] == "low"

    # The create form asks about the text typed so far; "Apply" only sets the field.
    gina.get_by_text("New task").click()
    form = gina.locator("#task-form")
    form.get_by_label("Title").fill("URGENT: payments fail for every customer in production")
    form.get_by_role("button", name="Suggest priority").click()
    offered = form.locator('[data-role="priority-output"]')
    expect(offered).to_contain_text(re.compile(r"Suggested: high \(\d+%\)"), timeout=MODEL_TIMEOUT_MS)
    gina.screenshot(path=tmp_path / "gina-suggestion.png")
    offered.get_by_role("button", name="Apply").click()
    expect(form.get_by_label("Priority", exact=True)).to_have_value("high")
    expect(offered).to_be_empty()
    assert len(gina.request.get("/api/tasks/").json()["results"]) == 2  # nothing was created by asking

    # The creator sees the worker's suggestion for the task just created on this page, without a reload (the
    # suggestion's frame may overtake the create's own answer; neither may hide it).
    form.get_by_label("Priority", exact=True).select_option("low")
    form.get_by_role("button", name="Create task").click()
    created = "URGENT: payments fail for every customer in production"
    card(gina, created).get_by_role("button", name=created).click()
    expect(suggestion).to_contain_text(SUGGESTED_HIGH, timeout=MODEL_TIMEOUT_MS)
    expect(dialog.get_by_label("Priority", exact=True)).to_have_value("low")
    dialog.get_by_role("button", name="Close").click()
    assert still_same_document(gina)
    assert gina.errors == []


def test_a_reconnecting_page_catches_up_on_what_it_missed(server, sign_in):
    register(server, "erin", "frank")
    with api_as(server, "erin") as erin_api:
        project = post(erin_api, "/api/projects/", {"name": "Ops"})
        frank_id = post(erin_api, f"/api/projects/{project['id']}/members/", {"username": "frank"})["user"]["id"]
        rotate = post(erin_api, "/api/tasks/", {"project": project["id"], "title": "Rotate keys", "assignee": frank_id})
        old = post(erin_api, "/api/tasks/", {"project": project["id"], "title": "Old ticket"})
    frank = sign_in("frank", "UTC")
    expect(card(frank, "Rotate keys", "todo")).to_be_visible()
    expect(card(frank, "Old ticket", "todo")).to_be_visible()
    expect(frank.locator("#bell-count")).to_have_text("1")

    # The server goes away; while it is down, work goes on through the services (as another process would).
    server.stop()
    expect(frank.locator("#live-status")).to_have_text("Reconnecting…")
    server.shell(
        f"""
        from apps.accounts.models import User
        from apps.projects.models import Project
        from apps.tasks import services
        from apps.tasks.models import Task
        erin, frank = User.objects.get(username="erin"), User.objects.get(username="frank")
        services.task_update(actor=erin, task=Task.objects.get(pk={rotate["id"]}), data={{"status": "done"}})
        services.task_delete(actor=erin, task=Task.objects.get(pk={old["id"]}))
        services.task_create(
            actor=erin, project=Project.objects.get(pk={project["id"]}), title="Renew certificates", assignee=frank
        )
        """
    )
    server.start()

    # Back: the board is read again (the deletion included) and resume replays the notifications it missed.
    expect(frank.locator("#live-status")).to_have_text("Live", timeout=30_000)
    expect(card(frank, "Rotate keys", "done")).to_be_visible()
    expect(card(frank, "Old ticket")).to_have_count(0)
    expect(card(frank, "Renew certificates", "todo")).to_be_visible()
    expect(frank.locator("#bell-count")).to_have_text("3")
    frank.get_by_role("button", name="Notifications, 3 unread").click()
    panel = frank.locator("#notification-list")
    expect(panel.locator(".notification")).to_have_count(3)
    expect(panel).to_contain_text('erin moved "Rotate keys" from To do to Done')
    expect(panel).to_contain_text('erin assigned you "Renew certificates"')
    assert still_same_document(frank)
    assert frank.errors == []


def test_a_notification_whose_live_frame_was_lost_arrives_through_resume(server, sign_in):
    register(server, "gwen", "hugo")
    with api_as(server, "gwen") as gwen_api:
        project = post(gwen_api, "/api/projects/", {"name": "Infra"})
        hugo_id = post(gwen_api, f"/api/projects/{project['id']}/members/", {"username": "hugo"})["user"]["id"]
        post(gwen_api, "/api/tasks/", {"project": project["id"], "title": "Patch kernels", "assignee": hugo_id})
    hugo = sign_in("hugo", "UTC")
    notifications = hugo.locator("#notification-list .notification")
    expect(notifications).to_have_count(1)

    # Made by another process, whose frames never reach this server's sockets: seq 2 is stored, its frame is lost.
    server.shell(
        f"""
        from apps.accounts.models import User
        from apps.projects.models import Project
        from apps.tasks import services
        gwen, hugo = User.objects.get(username="gwen"), User.objects.get(username="hugo")
        project = Project.objects.get(pk={project["id"]})
        services.task_create(actor=gwen, project=project, title="Lost in transit", assignee=hugo)
        """
    )
    # Seq 3 arrives live: the page sees the jump from 1 to 3 and resumes after 1, without opening the panel.
    with api_as(server, "gwen") as gwen_api:
        post(gwen_api, "/api/tasks/", {"project": project["id"], "title": "Rotate certs", "assignee": hugo_id})
    expect(notifications).to_have_count(3)
    expect(hugo.locator("#notification-list")).to_contain_text('gwen assigned you "Lost in transit"')
    expect(hugo.locator("#bell-count")).to_have_text("3")
    assert still_same_document(hugo)
    assert hugo.errors == []


# A local stand-in for Groq, reached by the server through GROQ_BASE_URL (the SDK's own variable): it answers each
# text with the scripted edit, so the server's guard judges real answers end to end.
GROQ_STAND_IN_PORT = utils.free_port()
SCRIPTED_EDITS = {
    "do not deploy on friday, ask Priya first": "Deploy on Friday; ask Priya first.",
    "pls fix the <img src=x onerror=alert(1)> tag on safari": (
        "Please fix the <img src=x onerror=alert(1)> tag on Safari."
    ),
}


class _GroqStandIn(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        text = "\n".join(body["messages"][1]["content"].split("\n")[1:-1])  # between the marker lines
        answer = {
            "id": "chatcmpl-stand-in",
            "object": "chat.completion",
            "created": 1_780_000_000,
            "model": body["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": SCRIPTED_EDITS[text]}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def groq_stand_in():
    stand_in = ThreadingHTTPServer(("127.0.0.1", GROQ_STAND_IN_PORT), _GroqStandIn)
    thread = threading.Thread(target=stand_in.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    stand_in.shutdown()
    stand_in.server_close()


@pytest.mark.parametrize(
    "server_overrides",
    [{"GROQ_API_KEY": "gsk_stand_in", "GROQ_BASE_URL": f"http://127.0.0.1:{GROQ_STAND_IN_PORT}"}],
    indirect=True,
    ids=["groq-stand-in"],
)
def test_an_enhancement_is_shown_as_a_word_diff_and_a_changed_fact_is_refused(groq_stand_in, server, sign_in):
    register(server, "ines")
    with api_as(server, "ines") as ines_api:
        post(ines_api, "/api/projects/", {"name": "Web"})
    ines = sign_in("ines", "UTC")
    ines.get_by_text("New task").click()
    form = ines.locator("#task-form")
    description = form.get_by_label("Description")
    output = form.locator('[data-role="enhance-output"]')

    # The answer drops the "not": refused by the server, nothing to apply, the text untouched.
    description.fill("do not deploy on friday, ask Priya first")
    form.get_by_role("button", name="Improve description").click()
    expect(output.locator(".assist-note")).to_contain_text("changes facts of the original text. It changed a negation")
    expect(output.get_by_role("button", name="Apply")).to_have_count(0)
    expect(description).to_have_value("do not deploy on friday, ask Priya first")

    # A faithful edit: shown word by word against the current text, markup in it shown as text, applied on request.
    description.fill("pls fix the <img src=x onerror=alert(1)> tag on safari")
    form.get_by_role("button", name="Improve description").click()
    diff = output.locator('[data-role="enhance-diff"]')
    expect(diff).to_be_visible(timeout=MODEL_TIMEOUT_MS)  # the guard's embedding check loads the model once
    expect(diff.locator("del.diff-removed")).to_have_text(["pls", "safari"])
    expect(diff.locator("ins.diff-added")).to_have_text(["Please", "Safari."])
    expect(diff).to_contain_text("<img src=x onerror=alert(1)>")
    expect(output.locator("img")).to_have_count(0)
    output.get_by_role("button", name="Apply").click()
    expect(description).to_have_value("Please fix the <img src=x onerror=alert(1)> tag on Safari.")
    expect(output).to_be_empty()
    assert ines.errors == []
