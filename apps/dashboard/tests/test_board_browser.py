"""The board in a real Chromium against a real Daphne: moving cards (pointer, keyboard), finding work (search, chips,
the URL), the create form under a slow answer, a phone's width and axe-core. Same fixtures as test_browser.py."""

import datetime
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from apps.dashboard.tests import test_browser as base
from apps.dashboard.tests.test_browser import api_as, card, column, post, register, still_same_document

# The same fixtures as test_browser.py (found by name): one Chromium for this module, a fresh Daphne per test.
chromium = base.chromium
browser = base.browser
migrated_db = base.migrated_db
server_overrides = base.server_overrides
server = base.server
sign_in = base.sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def drag_card(page: Page, title: str, status: str) -> None:
    """A real pointer drag by the card's handle: press, move in steps (pointermove events), release."""
    handle = card(page, title).get_by_role("button", name="Move", exact=True)
    start = handle.bounding_box()
    target = column(page, status).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 60, steps=8)
    page.mouse.up()


def patches(page: Page) -> list[dict]:
    bodies: list[dict] = []
    page.on("request", lambda request: request.method == "PATCH" and bodies.append(json.loads(request.post_data)))
    return bodies


def test_cards_move_by_pointer_and_by_keyboard_for_both_people(server, sign_in):
    register(server, "alice", "bob")
    with api_as(server, "alice") as alice_api:
        project = post(alice_api, "/api/projects/", {"name": "Launch"})
        post(alice_api, f"/api/projects/{project['id']}/members/", {"username": "bob"})
        for title in ("Design the page", "Build the page", "Test the page"):
            post(alice_api, "/api/tasks/", {"project": project["id"], "title": title})
    alice = sign_in("alice", "Europe/Paris")
    bob = sign_in("bob", "Asia/Tokyo")
    sent = patches(alice)

    # Pointer: Alice drags a card by its handle into "In progress"; Bob's board follows.
    drag_card(alice, "Design the page", "in_progress")
    expect(card(alice, "Design the page", "in_progress")).to_be_visible()
    expect(card(bob, "Design the page", "in_progress")).to_be_visible()
    expect(card(bob, "Design the page", "todo")).to_have_count(0)
    expect(alice.locator("#task-dialog")).to_be_hidden()  # the release that ends a drag opens nothing

    # Keyboard: Space picks up, arrows carry, Escape puts back without a request.
    handle = card(alice, "Build the page").get_by_role("button", name="Move", exact=True)
    expect(handle).to_have_accessible_description(re.compile(r"^Build the page Press Space to pick"))
    handle.focus()
    alice.keyboard.press("Space")
    announce = alice.locator("#board-announce")
    expect(announce).to_contain_text("Picked up Build the page")
    alice.keyboard.press("ArrowRight")
    expect(card(alice, "Build the page", "in_progress")).to_be_visible()  # shown where it would land
    expect(announce).to_contain_text("In progress, column 2 of 4")
    alice.keyboard.press("Escape")
    expect(card(alice, "Build the page", "todo")).to_be_visible()
    expect(announce).to_contain_text("Move cancelled")

    # Again, two columns to the right, and Space drops it: one PATCH, with the version the card showed.
    alice.keyboard.press("Space")
    alice.keyboard.press("ArrowRight")
    alice.keyboard.press("ArrowRight")
    with alice.expect_response(lambda response: response.request.method == "PATCH"):
        alice.keyboard.press("Space")
    expect(card(alice, "Build the page", "blocked")).to_be_visible()
    expect(announce).to_have_text("Build the page moved to Blocked.")
    expect(card(bob, "Build the page", "blocked")).to_be_visible()
    expect(handle).to_be_focused()  # the keyboard stays on the card it moved

    # The card's status select: arrow keys only choose; Enter commits, once.
    select = card(alice, "Test the page").get_by_label("Status of Test the page")
    select.focus()
    alice.keyboard.press("ArrowDown")
    alice.keyboard.press("ArrowDown")
    with alice.expect_response(lambda response: response.request.method == "PATCH"):
        alice.keyboard.press("Enter")
    expect(card(bob, "Test the page", "blocked")).to_be_visible()
    assert [body["status"] for body in sent] == ["in_progress", "blocked", "blocked"]
    assert all(body["version"] == 1 for body in sent)
    assert still_same_document(bob)
    assert alice.errors == [] and bob.errors == []


def test_search_and_filters_narrow_the_board_and_survive_a_reload(server, sign_in):
    register(server, "carol", "dave")
    now = datetime.datetime.now(datetime.UTC)
    with api_as(server, "carol") as carol_api:
        project = post(carol_api, "/api/projects/", {"name": "Billing"})
        pid = project["id"]
        dave_id = post(carol_api, f"/api/projects/{pid}/members/", {"username": "dave"})["user"]["id"]
        me_id = carol_api.get("/api/me/").json()["id"]
        yesterday = (now - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")
        post(
            carol_api,
            "/api/tasks/",
            {"project": pid, "title": "Send the invoices", "priority": "high", "assignee": me_id},
        )
        post(carol_api, "/api/tasks/", {"project": pid, "title": "Chase late invoices", "due_at": yesterday})
        post(
            carol_api,
            "/api/tasks/",
            {"project": pid, "title": "Update tax rates", "priority": "low", "assignee": dave_id},
        )
        post(carol_api, "/api/tasks/", {"project": pid, "title": "Archive 2024", "description": "old invoices too"})

    requests: list[str] = []
    carol = sign_in_counting(sign_in, "carol", requests)
    for title in ("Send the invoices", "Chase late invoices", "Update tax rates", "Archive 2024"):
        expect(card(carol, title)).to_be_visible()
    # Skeletons are gone once the columns are read; an empty column then says so.
    expect(carol.locator(".card.skeleton")).to_have_count(0)

    # Search (title and description) narrows the board and lands in the URL.
    carol.keyboard.press("/")
    expect(carol.get_by_label("Search tasks")).to_be_focused()
    carol.keyboard.type("invoices")
    expect(card(carol, "Update tax rates")).to_have_count(0)
    expect(card(carol, "Archive 2024")).to_be_visible()  # matched on its description
    expect(carol).to_have_url(re.compile(r"\?q=invoices#project-\d+$"))

    # Page-load reads happened once each: the board's columns and the unread count (the search reads came after).
    column_reads = [url for url in requests if "/api/tasks/" in url and "status=todo" in url and "search=" not in url]
    assert len(column_reads) == 1, column_reads
    assert sum("/api/notifications/unread-count/" in url for url in requests) == 1, requests

    # Chips: my tasks, then a priority; then due "overdue" instead, among everyone's.
    carol.get_by_role("button", name="My tasks").click()
    expect(card(carol, "Send the invoices")).to_be_visible()
    expect(card(carol, "Chase late invoices")).to_have_count(0)
    carol.get_by_role("button", name="High", exact=True).click()
    expect(card(carol, "Send the invoices")).to_be_visible()
    query = parse_qs(urlparse(carol.url).query)
    assert query == {"q": ["invoices"], "assignee": ["me"], "priority": ["high"]}

    # The view survives a reload: same URL, same narrowed board, chips and box showing it.
    carol.reload()
    expect(carol.locator("#live-status")).to_have_text("Live")
    expect(card(carol, "Send the invoices")).to_be_visible()
    expect(card(carol, "Archive 2024")).to_have_count(0)
    expect(carol.get_by_label("Search tasks")).to_have_value("invoices")
    expect(carol.get_by_role("button", name="My tasks")).to_have_attribute("aria-pressed", "true")
    expect(column(carol, "todo").locator('[data-role="count"]')).to_have_text("1")

    carol.get_by_role("button", name="My tasks").click()
    carol.get_by_role("button", name="High", exact=True).click()
    carol.get_by_role("button", name="Overdue").click()
    expect(card(carol, "Chase late invoices")).to_be_visible()
    expect(card(carol, "Chase late invoices")).to_contain_text(re.compile(r"overdue (2[34] h|1 d)"))
    expect(card(carol, "Send the invoices")).to_have_count(0)
    carol.get_by_role("button", name="No date").click()
    expect(card(carol, "Send the invoices")).to_be_visible()
    expect(card(carol, "Chase late invoices")).to_have_count(0)

    # A task Dave makes that fits the view arrives live; one that does not, stays off this board.
    with api_as(server, "dave") as dave_api:
        post(dave_api, "/api/tasks/", {"project": pid, "title": "Resend invoices", "due_at": yesterday})
        post(dave_api, "/api/tasks/", {"project": pid, "title": "Refund invoices"})
    expect(card(carol, "Refund invoices")).to_be_visible()
    expect(card(carol, "Resend invoices")).to_have_count(0)

    carol.get_by_role("button", name="Clear filters").click()
    expect(card(carol, "Update tax rates")).to_be_visible()
    expect(carol).to_have_url(re.compile(r"/#project-\d+$"))
    assert carol.errors == []


def sign_in_counting(open_as, username: str, requests: list[str]) -> Page:
    """sign_in, with every request of the page recorded from the dashboard's first load on. The signed-in document
    makes its first reads just after it shows "Live": they are let finish before the reload (else one could be
    recorded as the new document's), and the list starts again at the reload's navigation."""
    page = open_as(username, "UTC")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/unread-count/'))"
    )

    def note(request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            requests.clear()
        requests.append(request.url)

    requests.clear()
    page.on("request", note)
    page.reload()
    expect(page.locator("#live-status")).to_have_text("Live")
    page.evaluate("window.sameDocument = true")
    return page


def test_create_form_survives_a_slow_save_and_a_double_click(server, sign_in):
    register(server, "erin")
    with api_as(server, "erin") as erin_api:
        post(erin_api, "/api/projects/", {"name": "Ops"})
    erin = sign_in("erin", "UTC")
    held = []
    # The create answer is held back, the way a slow network would, until the next task is half typed.
    erin.route(
        "**/api/tasks/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    erin.keyboard.press("c")
    form = erin.locator("#task-form")
    expect(form.get_by_label("Title")).to_be_focused()
    form.get_by_label("Title").fill("Rotate keys")
    create = form.get_by_role("button", name="Create task")
    create.dblclick()
    expect(create).to_be_disabled()
    form.get_by_label("Title").fill("Renew certificates")
    form.get_by_label("Description").fill("Before they expire.")
    assert len(held) == 1  # the second click of the double click sent nothing
    held[0].continue_()
    expect(card(erin, "Rotate keys", "todo")).to_be_visible()
    expect(create).to_be_enabled()
    # What was typed while the first was saving is still there, as typed: not wiped, not merged.
    expect(form.get_by_label("Title")).to_have_value("Renew certificates")
    expect(form.get_by_label("Description")).to_have_value("Before they expire.")
    erin.unroute("**/api/tasks/")
    titles = [task["title"] for task in erin.request.get("/api/tasks/").json()["results"]]
    assert titles == ["Rotate keys"]

    # Saving in the task panel and closing it gives the keyboard back to the card.
    card(erin, "Rotate keys").get_by_role("button", name="Rotate keys").click()
    dialog = erin.locator("#task-dialog")
    dialog.get_by_label("Title", exact=True).fill("Rotate the keys")
    dialog.get_by_role("button", name="Save").click()
    expect(erin.locator("#toast")).to_have_text("Saved.")
    expect(dialog.locator("#toast")).to_have_count(1)  # shown inside the modal's top layer, above it
    erin.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(card(erin, "Rotate the keys").get_by_role("button", name="Rotate the keys")).to_be_focused()

    # "?" lists the shortcuts; Escape closes it. Typing "?" in a field does not.
    erin.keyboard.press("?")
    expect(erin.locator("#help-dialog")).to_be_visible()
    erin.keyboard.press("Escape")
    expect(erin.locator("#help-dialog")).to_be_hidden()
    erin.get_by_label("Search tasks").fill("?")
    expect(erin.locator("#help-dialog")).to_be_hidden()
    assert erin.errors == []


def serious(page: Page, context: str | None = None) -> list[str]:
    results = Axe().run(page, context=context)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_phone_sized_page_does_not_overflow_and_axe_finds_nothing_serious(server, sign_in):
    long_name = "Quarterly-planning-for-the-infrastructure-and-platform-engineering-group-" * 2
    register(server, "gwen", "hugo")
    with api_as(server, "gwen") as gwen_api:
        project = post(gwen_api, "/api/projects/", {"name": long_name})
        hugo_id = post(gwen_api, f"/api/projects/{project['id']}/members/", {"username": "hugo"})["user"]["id"]
        post(gwen_api, "/api/tasks/", {"project": project["id"], "title": "Patch kernels", "assignee": hugo_id})
        post(gwen_api, "/api/tasks/", {"project": project["id"], "title": "Low one", "priority": "low"})
    hugo = sign_in("hugo", "UTC")
    expect(card(hugo, "Patch kernels")).to_be_visible()

    # axe-core at desktop size: the board, the task dialog, the notification panel.
    assert serious(hugo) == []
    card(hugo, "Patch kernels").get_by_role("button", name="Patch kernels").click()
    expect(hugo.locator("#task-dialog")).to_be_visible()
    assert serious(hugo, "#task-dialog") == []
    hugo.keyboard.press("Escape")
    hugo.get_by_role("button", name="Notifications, 1 unread").click()
    expect(hugo.locator("#notification-panel")).to_be_visible()
    assert serious(hugo) == []

    # A 390 px phone: a long project name and the open panel do not widen the page.
    hugo.set_viewport_size(PHONE)
    expect(hugo.locator("#notification-panel")).to_be_visible()
    assert overflow(hugo) == []
    panel = hugo.locator("#notification-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    hugo.keyboard.press("Escape")
    card(hugo, "Patch kernels").get_by_role("button", name="Patch kernels").click()
    box = hugo.locator("#task-dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert overflow(hugo) == []
    assert hugo.errors == []


def overflow(page: Page) -> list:
    """[] when the page is no wider than the window; else the widths, for the failure message."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return [] if widths[0] <= widths[1] else widths
