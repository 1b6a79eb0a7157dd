"""Issue 11's remaining board items in a real Chromium against a real Daphne: label chips and a search that finds a
comment, the due chips in the browser's time zone, dragging by touch, skeletons while the board loads, dark mode and
the low badge's contrast, toasts above a dialog, the members form's message. Same fixtures as test_browser.py."""

import datetime
import re
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
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


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def test_label_chips_and_a_search_that_finds_a_comment_narrow_the_board_and_survive_a_reload(server, sign_in):
    register(server, "ines", "jon")
    with api_as(server, "ines") as ines_api:
        pid = post(ines_api, "/api/projects/", {"name": "Website"})["id"]
        post(ines_api, f"/api/projects/{pid}/members/", {"username": "jon"})
        bug = post(ines_api, f"/api/projects/{pid}/labels/", {"name": "Bug", "color": "#d6336c"})["id"]
        ui = post(ines_api, f"/api/projects/{pid}/labels/", {"name": "UI", "color": "#1c7ed6"})["id"]
        post(ines_api, f"/api/projects/{pid}/labels/", {"name": "Docs", "color": "#2f9e44"})
        post(ines_api, "/api/tasks/", {"project": pid, "title": "Fix the footer", "labels": [bug]})
        post(ines_api, "/api/tasks/", {"project": pid, "title": "Restyle buttons", "labels": [ui]})
        post(ines_api, "/api/tasks/", {"project": pid, "title": "Both kinds", "labels": [bug, ui]})
        quiet = post(ines_api, "/api/tasks/", {"project": pid, "title": "Plain task"})
        post(ines_api, f"/api/tasks/{quiet['id']}/comments/", {"body": "The kerning on mobile is off"})
    ines = sign_in("ines", "UTC")
    find = ines.get_by_role("search", name="Find tasks")
    labels = find.get_by_role("group", name="Labels")
    expect(labels.get_by_role("button")).to_have_text(["Bug", "Docs", "UI"])

    # One label chip: that label's tasks only, the label in the URL.
    labels.get_by_role("button", name="Bug").click()
    expect(card(ines, "Restyle buttons")).to_have_count(0)
    expect(card(ines, "Plain task")).to_have_count(0)
    expect(card(ines, "Fix the footer")).to_be_visible()
    expect(card(ines, "Both kinds")).to_be_visible()
    # Two: any of them (a task with both shows once).
    labels.get_by_role("button", name="UI").click()
    expect(card(ines, "Restyle buttons")).to_be_visible()
    expect(card(ines, "Both kinds")).to_have_count(1)
    expect(card(ines, "Plain task")).to_have_count(0)
    assert parse_qs(urlparse(ines.url).query) == {"label": sorted([str(bug), str(ui)], key=int)}

    # A task Jon labels "UI" arrives live; one without the label stays off this board.
    with api_as(server, "jon") as jon_api:
        post(jon_api, "/api/tasks/", {"project": pid, "title": "Dark header", "labels": [ui]})
        post(jon_api, "/api/tasks/", {"project": pid, "title": "Unlabelled"})
    expect(card(ines, "Dark header")).to_be_visible()
    expect(card(ines, "Unlabelled")).to_have_count(0)

    # The view survives a reload.
    ines.reload()
    expect(ines.locator("#live-status")).to_have_text("Live")
    expect(card(ines, "Restyle buttons")).to_be_visible()
    expect(card(ines, "Plain task")).to_have_count(0)
    expect(labels.get_by_role("button", name="Bug")).to_have_attribute("aria-pressed", "true")
    expect(labels.get_by_role("button", name="Docs")).to_have_attribute("aria-pressed", "false")

    # The search also reads comments: a word only a comment holds finds its task.
    find.get_by_role("button", name="Clear filters").click()
    expect(card(ines, "Plain task")).to_be_visible()
    ines.get_by_label("Search tasks").fill("kerning")
    expect(ines).to_have_url(re.compile(r"\?q=kerning#project-\d+$"))
    expect(card(ines, "Fix the footer")).to_have_count(0)  # the search's answer is drawn...
    expect(card(ines, "Plain task")).to_be_visible()  # ... and holds the task whose comment matched
    assert ines.errors == []


def noon_zone() -> tuple[str, datetime.datetime]:
    """A fixed-offset zone where it is now about noon (so "today" has hours on both sides whatever the UTC time),
    and the time there."""
    now = datetime.datetime.now(datetime.UTC)
    offset = max(-12, min(14, round(12 - (now.hour + now.minute / 60))))
    name = "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-3 is UTC+3
    return name, now.astimezone(ZoneInfo(name))


def test_due_chips_and_relative_deadlines_follow_the_browsers_time_zone(server, sign_in):
    zone, local = noon_zone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    monday = midnight - datetime.timedelta(days=local.weekday())
    # Another day of this (Monday to Sunday) week: tomorrow, or on a Sunday the day before.
    other_day = midnight + datetime.timedelta(days=1 if local.weekday() < 6 else -1, hours=12)
    register(server, "kim")
    with api_as(server, "kim") as kim_api:
        pid = post(kim_api, "/api/projects/", {"name": "Plans"})["id"]
        for title, due in (
            ("Later today", local + datetime.timedelta(hours=3, minutes=5)),
            ("Earlier today", local - datetime.timedelta(hours=2, minutes=5)),
            ("Another day this week", other_day),
            ("Next week", monday + datetime.timedelta(days=8, hours=12)),
            ("Last week", monday - datetime.timedelta(days=3, hours=-12)),
        ):
            post(kim_api, "/api/tasks/", {"project": pid, "title": title, "due_at": iso(due)})
        post(kim_api, "/api/tasks/", {"project": pid, "title": "Someday"})
    kim = sign_in("kim", zone)

    # Relative times on the cards, the date in the browser's zone.
    later = card(kim, "Later today")
    expect(later).to_contain_text("(in 3 h)")
    expect(later.locator("time")).to_contain_text(f"{local:%b} {local.day}, {local.year}")
    expect(card(kim, "Earlier today")).to_contain_text("(overdue 2 h)")
    expect(card(kim, "Earlier today").locator("time")).to_have_attribute("data-overdue", "1")

    chips = kim.get_by_role("group", name="Due")
    chips.get_by_role("button", name="Today").click()
    expect(card(kim, "Another day this week")).to_have_count(0)
    expect(card(kim, "Later today")).to_be_visible()
    expect(card(kim, "Earlier today")).to_be_visible()
    expect(card(kim, "Someday")).to_have_count(0)
    expect(kim).to_have_url(re.compile(r"\?due=today#project-\d+$"))

    chips.get_by_role("button", name="This week").click()
    expect(card(kim, "Another day this week")).to_be_visible()
    expect(card(kim, "Later today")).to_be_visible()
    expect(card(kim, "Next week")).to_have_count(0)
    expect(card(kim, "Last week")).to_have_count(0)
    expect(card(kim, "Someday")).to_have_count(0)
    expect(chips.get_by_role("button", name="This week")).to_have_attribute("aria-pressed", "true")
    expect(chips.get_by_role("button", name="Today")).to_have_attribute("aria-pressed", "false")

    kim.reload()
    expect(kim.locator("#live-status")).to_have_text("Live")
    expect(card(kim, "Another day this week")).to_be_visible()
    expect(card(kim, "Next week")).to_have_count(0)
    expect(column(kim, "todo").locator('[data-role="count"]')).to_have_text("3")
    assert kim.errors == []


def touch_drag(page: Page, title: str, status: str) -> None:
    """A finger on the card's handle, moved in steps to another column, then lifted: Chromium's own touch input,
    which the page sees as pointer events with pointerType "touch"."""
    handle = card(page, title).get_by_role("button", name="Move", exact=True).bounding_box()
    target = column(page, status).bounding_box()
    start = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    end = (target["x"] + target["width"] / 2, target["y"] + 60)
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", *start)
    for step in range(1, 11):
        touch("touchMove", start[0] + (end[0] - start[0]) * step / 10, start[1] + (end[1] - start[1]) * step / 10)
    touch("touchEnd", *end)
    cdp.detach()


def test_a_card_moves_by_touch_for_both_people(server, sign_in, browser):
    register(server, "lea", "max")
    with api_as(server, "lea") as lea_api:
        pid = post(lea_api, "/api/projects/", {"name": "Mobile"})["id"]
        post(lea_api, f"/api/projects/{pid}/members/", {"username": "max"})
        post(lea_api, "/api/tasks/", {"project": pid, "title": "Ship the app"})
    max_page = sign_in("max", "UTC")
    lea = sign_in("lea", "UTC")
    pointer_types = []
    lea.expose_function("notePointer", lambda kind: pointer_types.append(kind))
    lea.evaluate("window.addEventListener('pointerdown', (event) => window.notePointer(event.pointerType), true)")

    touch_drag(lea, "Ship the app", "blocked")
    expect(card(lea, "Ship the app", "blocked")).to_be_visible()
    expect(card(max_page, "Ship the app", "blocked")).to_be_visible()
    expect(card(max_page, "Ship the app", "todo")).to_have_count(0)
    expect(lea.locator("#task-dialog")).to_be_hidden()  # lifting the finger opened nothing
    assert pointer_types == ["touch"]
    assert lea.request.get("/api/tasks/").json()["results"][0]["status"] == "blocked"
    assert still_same_document(max_page)
    assert lea.errors == [] and max_page.errors == []


def test_skeletons_show_while_the_board_loads_never_an_empty_count(server, sign_in):
    register(server, "nora")
    with api_as(server, "nora") as nora_api:
        pid = post(nora_api, "/api/projects/", {"name": "Slow"})["id"]
        post(nora_api, "/api/tasks/", {"project": pid, "title": "Arrives late"})
    nora = sign_in("nora", "UTC")
    held = []
    # The column reads are held back, the way a slow network would.
    nora.route("**/api/tasks/?*", lambda route: held.append(route))
    nora.reload()
    expect(nora.locator("#live-status")).to_have_text("Live")
    nora.wait_for_function("() => document.querySelectorAll('.column').length === 4")
    for _ in range(50):
        if len(held) >= 4:
            break
        nora.wait_for_timeout(100)
    assert len(held) == 4, "one read per column"
    for status in ("todo", "in_progress", "blocked", "done"):
        expect(column(nora, status).locator(".card.skeleton").first).to_be_visible()
        expect(column(nora, status).locator('[data-role="count"]')).to_have_text("…")
    expect(nora.locator("#board")).to_have_attribute("aria-busy", "true")
    expect(nora.locator("#board")).not_to_contain_text("Nothing here")
    for route in held:
        route.continue_()
    expect(card(nora, "Arrives late", "todo")).to_be_visible()
    expect(nora.locator(".card.skeleton")).to_have_count(0)
    expect(column(nora, "done").locator('[data-role="count"]')).to_have_text("0")
    expect(nora.locator("#board")).not_to_have_attribute("aria-busy", "true")
    assert nora.errors == []


# The contrast of a node's text against the first opaque background behind it (WCAG 2's formula).
CONTRAST = """(node) => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let back = node;
  while (back && rgb(getComputedStyle(back).backgroundColor)[3] === 0) back = back.parentElement;
  const fg = luminance(rgb(getComputedStyle(node).color));
  const bg = luminance(rgb(getComputedStyle(back || document.documentElement).backgroundColor));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


def test_dark_mode_follows_the_system_and_the_low_badge_stays_readable(server, sign_in):
    from apps.dashboard.tests.test_board_browser import serious

    register(server, "olga")
    with api_as(server, "olga") as olga_api:
        pid = post(olga_api, "/api/projects/", {"name": "Night shift"})["id"]
        for priority in ("low", "medium", "high"):
            post(olga_api, "/api/tasks/", {"project": pid, "title": f"A {priority} one", "priority": priority})
    olga = sign_in("olga", "UTC")
    badge = card(olga, "A low one").locator(".badge.priority-low")
    expect(badge).to_have_text("Low")
    light_background = olga.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    for scheme in ("light", "dark"):
        olga.emulate_media(color_scheme=scheme)
        for priority in ("low", "medium", "high"):
            ratio = card(olga, f"A {priority} one").locator(f".badge.priority-{priority}").evaluate(CONTRAST)
            assert ratio >= 4.5, (scheme, priority, round(ratio, 2))
        title_ratio = card(olga, "A low one").get_by_role("button", name="A low one").evaluate(CONTRAST)
        assert title_ratio >= 4.5, (scheme, round(title_ratio, 2))
    # Dark: a dark page with light text, and axe-core finds nothing serious on the board or in the dialog.
    background = olga.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background != light_background
    assert sum(int(part) for part in re.findall(r"\d+", background)[:3]) < 120, background
    assert serious(olga) == []
    card(olga, "A low one").get_by_role("button", name="A low one").click()
    expect(olga.locator("#task-dialog")).to_be_visible()
    assert serious(olga, "#task-dialog") == []
    olga.keyboard.press("Escape")
    olga.get_by_text("New task").click()
    olga.get_by_role("button", name="High", exact=True).click()  # a pressed chip
    expect(card(olga, "A low one")).to_have_count(0)
    olga.get_by_role("button", name="Notifications, 0 unread").click()
    expect(olga.locator("#notification-panel")).to_be_visible()
    assert serious(olga) == []
    assert olga.errors == []


# Whether the toast is what the user sees at its own centre (its pointer-events are off, so they are turned on for
# the question): a toast under a modal dialog would answer with the dialog or its backdrop.
TOAST_ON_TOP = """() => {
  const toast = document.getElementById("toast");
  const box = toast.getBoundingClientRect();
  toast.style.pointerEvents = "auto";
  const seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  toast.style.pointerEvents = "";
  return box.width > 0 && box.bottom <= window.innerHeight && toast.contains(seen);
}"""


def test_toasts_show_above_an_open_dialog_and_an_unknown_member_name_reads_plainly(server, sign_in):
    register(server, "pia")
    with api_as(server, "pia") as pia_api:
        pid = post(pia_api, "/api/projects/", {"name": "Team"})["id"]
        post(pia_api, "/api/tasks/", {"project": pid, "title": "Hire a designer"})
    pia = sign_in("pia", "UTC")

    # Owners add people by username; a name nobody has reads as a sentence, not as "username: ...".
    pia.get_by_label("Add by username").fill("nobody-by-that-name")
    pia.get_by_role("button", name="Add member").click()
    error = pia.locator("#member-form").get_by_role("alert")
    expect(error).to_have_text("No user with that username.")

    # A toast while the task dialog is open shows above the modal dialog (the top layer), where the user can read it.
    card(pia, "Hire a designer").get_by_role("button", name="Hire a designer").click()
    dialog = pia.locator("#task-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title", exact=True).fill("Hire two designers")
    dialog.get_by_role("button", name="Save").click()
    toast = pia.locator("#toast")
    expect(toast).to_have_text("Saved.")
    expect(toast).to_have_class(re.compile(r"\bvisible\b"))
    pia.wait_for_timeout(300)  # the toast's entrance transition
    assert pia.evaluate(TOAST_ON_TOP)
    # ... and on the page again once the dialog is closed (a toast inside a closed dialog would not show).
    pia.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    pia.keyboard.press("c")
    pia.locator("#task-form").get_by_label("Title").fill("Write the job post")
    pia.locator("#task-form").get_by_role("button", name="Create task").click()
    expect(toast).to_have_text('Created "Write the job post".')
    pia.wait_for_timeout(300)
    assert pia.evaluate(TOAST_ON_TOP)
    assert pia.evaluate("document.getElementById('toast').parentElement === document.body")
    assert pia.errors == []
