"""The strict Content-Security-Policy holds in a real Chromium: the dashboard, the admin and Swagger UI run under it
without a single violation (every `securitypolicyviolation` event and console error is collected from the first byte
of each page on)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.dashboard.tests.test_browser import PASSWORD, LiveServer, api_as, card, post, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.cspViolations.push(`${event.violatedDirective} blocked ${blocked} in ${event.sourceFile}`);
});
"""


def watched_page(browser: Browser, server: LiveServer) -> Page:
    context = browser.new_context(base_url=server.url, viewport={"width": 1360, "height": 860})
    context.add_init_script(WATCH_VIOLATIONS)  # runs before any script of every page, unaffected by the policy
    page = context.new_page()
    page.problems = []
    # Console errors, except the browser's own line for a failed request: failed requests are listed by URL below,
    # bar /favicon.ico, which the admin's pages do not declare and the browser asks for anyway.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.problems.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and page.problems.append(f"{response.status} {response.url}")
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def violations(page: Page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_the_dashboard_runs_under_the_policy_without_violations(server, browser):
    register(server, "alice", "bob")
    alice = api_as(server, "alice")
    project = post(alice, "/api/projects/", {"name": "Launch"})
    post(alice, f"/api/projects/{project['id']}/members/", {"username": "bob"})
    post(alice, "/api/tasks/", {"project": project["id"], "title": "Write release notes", "assignee": None})
    bob_id = alice.get(f"/api/projects/{project['id']}/members/").json()["results"][1]["user"]["id"]
    post(alice, "/api/tasks/", {"project": project["id"], "title": "Ship it", "assignee": bob_id})

    page = watched_page(browser, server)
    response = page.goto("/")
    policy = response.request.redirected_from.response().headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    expect(page).to_have_url(re.compile(r"/login/"))
    assert violations(page) == []
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The board, over a live socket (connect-src), with its cards rendered by the modules (script-src, style-src).
    expect(page.locator("#live-status")).to_have_text("Live")
    expect(page.get_by_role("heading", name="Launch", level=1)).to_be_visible()
    expect(card(page, "Ship it", "todo")).to_be_visible()
    # Opening a task: the dialog with its activity.
    card(page, "Write release notes").get_by_role("button", name="Write release notes", exact=True).click()
    expect(page.locator("#task-dialog")).to_be_visible()
    expect(page.locator("#task-dialog")).to_contain_text("Write release notes")
    page.keyboard.press("Escape")
    # The notifications panel.
    page.get_by_role("button", name="Notifications, 1 unread").click()
    expect(page.locator("#notification-panel")).to_contain_text('alice assigned you "Ship it"')
    # A change from elsewhere still arrives over the socket.
    alice.patch(f"/api/tasks/{card_id(alice, 'Ship it')}/", json={"status": "in_progress"})
    expect(card(page, "Ship it", "in_progress")).to_be_visible()

    assert violations(page) == []
    assert page.problems == []


def card_id(client, title: str) -> int:
    return next(task["id"] for task in client.get("/api/tasks/").json()["results"] if task["title"] == title)


def test_swagger_ui_and_the_admin_work_under_their_policies(server, browser):
    page = watched_page(browser, server)
    # Swagger UI: its start-up code is a script file of this origin; only inline styles are allowed on this page.
    response = page.goto("/api/docs/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("TaskFlow API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # the operations were read from /api/schema/
    assert violations(page) == []

    # The admin's login page: the strict policy as is.
    server.shell(
        "from apps.accounts.models import User; "
        f"User.objects.create_superuser('root', 'root@example.com', '{PASSWORD}')"
    )
    response = page.goto("/admin/")
    assert "style-src 'self';" in response.headers["content-security-policy"] + ";"
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/projects/project/add/")
    expect(page.get_by_role("heading", name="Add project")).to_be_visible()
    assert violations(page) == []
    assert page.problems == []
