"""Two people in Chromium: comments with mentions, presence, and membership changes reach the other page at once."""

import re

import pytest
from playwright.sync_api import expect

from apps.dashboard.tests import test_browser as base
from apps.dashboard.tests.test_browser import api_as, card, post, register, still_same_document

# The live server, Chromium and sign-in fixtures of the main browser tests.
chromium, browser, migrated_db = base.chromium, base.browser, base.migrated_db
server_overrides, server, sign_in = base.server_overrides, base.server, base.sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def team_project(server, title="Write the notes"):
    register(server, "alice", "bob")
    alice_api = api_as(server, "alice")
    project = post(alice_api, "/api/projects/", {"name": "Launch"})
    post(alice_api, f"/api/projects/{project['id']}/members/", {"username": "bob"})
    task = post(alice_api, "/api/tasks/", {"project": project["id"], "title": title})
    return alice_api, project, task


def test_a_comment_with_a_mention_reaches_the_other_person_live(server, sign_in):
    team_project(server)
    bob = sign_in("bob", "Europe/Paris")
    alice = sign_in("alice", "America/New_York")
    card(bob, "Write the notes").get_by_role("button", name="Write the notes").click()
    bob_dialog = bob.locator("#task-dialog")
    expect(bob_dialog.locator('[data-role="comments"]')).to_contain_text("No comments yet.")

    card(alice, "Write the notes").get_by_role("button", name="Write the notes").click()
    dialog = alice.locator("#task-dialog")
    # Presence inside the dialog: Alice sees that Bob has this task open.
    expect(dialog.locator('[data-role="editing-hint"]')).to_have_text("bob is editing this task")

    box = dialog.get_by_label("Add a comment")
    box.press_sequentially("Please check @bo")
    dialog.get_by_role("button", name="@bob").click()
    box.press_sequentially("see https://example.com/notes. and run `make test` <img src=x onerror=alert(1)>")
    dialog.get_by_role("button", name="Comment", exact=True).click()

    # Bob: the comment arrives live in his open dialog, rendered safely, and his bell counts the mention.
    comment = bob_dialog.locator(".comment").first
    expect(comment).to_contain_text("Please check @bob see https://example.com/notes.")
    link = comment.get_by_role("link", name="https://example.com/notes")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(comment.locator("code")).to_have_text("make test")
    expect(comment).to_contain_text("<img src=x onerror=alert(1)>")
    expect(comment.locator("img")).to_have_count(0)
    expect(bob.locator("#bell-count")).to_have_text("1")
    expect(card(bob, "Write the notes")).to_contain_text("1")

    # Labels: Alice makes one in the dialog and puts it on the task; Bob's card shows the chip.
    dialog.get_by_label("New label").fill("Docs")
    dialog.get_by_role("button", name="Add label").click()
    dialog.get_by_role("checkbox", name="Docs").check()
    expect(card(bob, "Write the notes").locator(".label-chip")).to_have_text("Docs")
    expect(card(alice, "Write the notes").locator(".label-chip")).to_have_text("Docs")
    bob.keyboard.press("Escape")
    bob.get_by_role("button", name="Notifications, 1 unread").click()
    expect(bob.locator("#notification-panel")).to_contain_text('alice mentioned you in a comment on "Write the notes"')
    assert alice.errors == [] and bob.errors == []


def test_presence_appears_and_disappears(server, sign_in, browser):
    team_project(server)
    alice = sign_in("alice", "UTC")
    expect(alice.locator("#presence .avatar")).to_have_count(1)
    bob = sign_in("bob", "UTC")
    expect(alice.locator("#presence .avatar")).to_have_count(2)
    expect(alice.locator("#presence")).to_have_attribute("aria-label", re.compile(r"alice, bob|bob, alice"))
    expect(bob.locator("#presence .avatar")).to_have_count(2)
    bob.context.close()  # the tab goes away: its socket closes and Bob leaves at once
    expect(alice.locator("#presence .avatar")).to_have_count(1)
    expect(alice.locator("#presence")).to_have_attribute("aria-label", "Here now: alice")


def test_adding_and_removing_a_member_shows_at_once(server, sign_in):
    register(server, "alice", "bob")
    alice_api = api_as(server, "alice")
    project = post(alice_api, "/api/projects/", {"name": "Launch"})
    post(alice_api, "/api/tasks/", {"project": project["id"], "title": "Secret plan"})
    bob = sign_in("bob", "UTC")
    expect(bob.get_by_role("heading", name="Launch", level=1)).to_have_count(0)

    alice = sign_in("alice", "UTC")
    alice.get_by_label("Add by username").fill("bob")
    alice.get_by_role("button", name="Add member").click()
    # Bob's open page gains the project and its board without a reload.
    expect(bob.locator("#project-list")).to_contain_text("Launch")
    expect(bob.get_by_role("heading", name="Launch", level=1)).to_be_visible()
    expect(card(bob, "Secret plan")).to_be_visible()

    bob_id = bob.evaluate("JSON.parse(document.getElementById('page-config').textContent).user.id")
    assert alice_api.delete(f"/api/projects/{project['id']}/members/{bob_id}/").status_code == 204
    # ... and loses it at once: the board, its cards and the list entry.
    expect(card(bob, "Secret plan")).to_have_count(0)
    expect(bob.get_by_role("heading", name="Launch", level=1)).to_have_count(0)
    expect(bob.locator("#project-list")).not_to_contain_text("Launch")
    assert bob.evaluate("window.sameDocument === true")
    assert alice.errors == [] and bob.errors == []


def test_comments_are_edited_and_deleted_live_and_watching_is_a_button(server, sign_in):
    alice_api, _, task = team_project(server, "Plan the offsite")
    bob = sign_in("bob", "UTC")
    alice = sign_in("alice", "UTC")
    for page in (alice, bob):
        card(page, "Plan the offsite").get_by_role("button", name="Plan the offsite").click()
    bob_dialog, alice_dialog = bob.locator("#task-dialog"), alice.locator("#task-dialog")
    watch = bob_dialog.locator('[data-role="watch"]')
    expect(watch).to_have_text("Watch")  # neither creator nor assignee
    bob_dialog.get_by_label("Add a comment").fill("Friday works for me\nif the room is free")
    bob_dialog.get_by_role("button", name="Comment", exact=True).click()
    expect(watch).to_have_text("Stop watching")  # commenters watch
    expect(watch).to_have_attribute("aria-pressed", "true")
    expect(alice_dialog.locator(".comment")).to_contain_text("Friday works for me")
    expect(alice_dialog.locator(".comment-body br")).to_have_count(1)  # the line break, kept as one
    expect(card(alice, "Plan the offsite").locator(".comment-count")).to_have_text("💬 1")

    # Bob edits his comment: Alice's open dialog shows the new text and that it was edited.
    bob.once("dialog", lambda prompt: prompt.accept("Friday or Monday works for me"))
    bob_dialog.locator(".comment").get_by_role("button", name="Edit").click()
    expect(alice_dialog.locator(".comment")).to_contain_text("Friday or Monday works for me")
    expect(alice_dialog.locator(".comment")).to_contain_text("edited")
    expect(alice_dialog.locator(".comment").get_by_role("button", name="Edit")).to_have_count(0)  # not hers

    # Alice owns the project: she may delete Bob's comment; it leaves Bob's dialog and both cards' counts.
    alice.once("dialog", lambda confirm: confirm.accept())
    alice_dialog.locator(".comment").get_by_role("button", name="Delete").click()
    expect(bob_dialog.locator('[data-role="comments"]')).to_have_text("No comments yet.")
    expect(card(bob, "Plan the offsite").locator(".comment-count")).to_have_count(0)
    expect(card(alice, "Plan the offsite").locator(".comment-count")).to_have_count(0)

    # Unwatching is a press of the same button, and the server agrees.
    watch.click()
    expect(watch).to_have_text("Watch")
    expect(watch).to_have_attribute("aria-pressed", "false")
    watchers = alice_api.get(f"/api/tasks/{task['id']}/watchers/").json()["results"]
    assert [user["username"] for user in watchers] == ["alice"]

    # The activity tells the comments and a label change in words, the label by its name.
    pid = task["project"]
    venue = post(alice_api, f"/api/projects/{pid}/labels/", {"name": "Venue", "color": "#e8590c"})["id"]
    assert alice_api.patch(f"/api/tasks/{task['id']}/", json={"labels": [venue]}).status_code == 200
    bob.keyboard.press("Escape")
    expect(bob_dialog).to_be_hidden()
    card(bob, "Plan the offsite").get_by_role("button", name="Plan the offsite").click()
    activity = bob_dialog.locator('[data-role="activity"]')
    expect(activity.locator(".activity-entry")).to_have_count(5)
    expect(activity).to_contain_text("bob commented")
    expect(activity).to_contain_text("bob edited a comment")
    expect(activity).to_contain_text("alice deleted a comment")
    expect(activity).to_contain_text("labels: none → Venue")
    expect(activity).not_to_contain_text("comment:")
    # Bob learnt the label Alice made from the task that carries it: his board offers it as a filter chip too.
    expect(bob.get_by_role("group", name="Labels").get_by_role("button")).to_have_text(["Venue"])
    assert alice.errors == [] and bob.errors == []


def test_labels_are_renamed_recoloured_and_deleted_from_the_dialog(server, sign_in):
    alice_api, project, task = team_project(server, "Order badges")
    for name in ("Print", "Swag"):
        post(alice_api, f"/api/projects/{project['id']}/labels/", {"name": name, "color": "#1971c2"})
    bob = sign_in("bob", "UTC")
    alice = sign_in("alice", "UTC")
    card(bob, "Order badges").get_by_role("button", name="Order badges").click()
    bob_dialog = bob.locator("#task-dialog")
    bob_dialog.get_by_role("checkbox", name="Print").check()
    bob_dialog.get_by_role("checkbox", name="Swag").check()
    expect(card(alice, "Order badges").locator(".label-chip")).to_have_text(["Print", "Swag"])

    # A member renames and recolours; the server keeps it.
    bob_dialog.get_by_text("Manage labels").click()
    manager = bob_dialog.locator('[data-role="label-manager"]')
    expect(manager.get_by_role("button", name="Delete Print")).to_have_count(0)  # owners delete
    bob.once("dialog", lambda prompt: prompt.accept("Printing"))
    manager.get_by_role("button", name="Rename Print").click()
    expect(bob_dialog.get_by_role("checkbox", name="Printing")).to_be_checked()
    with bob.expect_response(lambda response: response.request.method == "PATCH" and "/api/labels/" in response.url):
        manager.get_by_label("Colour of Printing").fill("#e03131")
    listed = alice_api.get(f"/api/projects/{project['id']}/labels/").json()["results"]
    labels = {label["name"]: label for label in listed}
    assert set(labels) == {"Printing", "Swag"}
    assert labels["Printing"]["color"] == "#e03131"

    # The owner deletes one: it leaves the task, and both boards' cards.
    card(alice, "Order badges").get_by_role("button", name="Order badges").click()
    alice_dialog = alice.locator("#task-dialog")
    alice_dialog.get_by_text("Manage labels").click()
    alice.once("dialog", lambda confirm: confirm.accept())
    alice_dialog.locator('[data-role="label-manager"]').get_by_role("button", name="Delete Swag").click()
    expect(alice_dialog.get_by_role("checkbox", name="Swag")).to_have_count(0)
    expect(card(bob, "Order badges").locator(".label-chip")).to_have_text(["Printing"])
    expect(card(alice, "Order badges").locator(".label-chip")).to_have_text(["Printing"])
    assert [label["name"] for label in alice_api.get(f"/api/tasks/{task['id']}/").json()["labels"]] == ["Printing"]
    assert alice.errors == [] and bob.errors == []


def test_a_renamed_and_recoloured_label_changes_the_chips_on_every_open_board(server, sign_in):
    alice_api, project, task = team_project(server, "Order badges")
    other = post(alice_api, "/api/tasks/", {"project": project["id"], "title": "Hang posters"})
    label = post(alice_api, f"/api/projects/{project['id']}/labels/", {"name": "Print", "color": "#1971c2"})
    for carrying in (task, other):
        assert alice_api.patch(f"/api/tasks/{carrying['id']}/", json={"labels": [label["id"]]}).status_code == 200
    bob = sign_in("bob", "UTC")
    alice = sign_in("alice", "UTC")
    for title in ("Order badges", "Hang posters"):
        expect(card(bob, title).locator(".label-chip")).to_have_text(["Print"])
        expect(card(bob, title).locator(".label-chip")).to_have_attribute("data-color", "#1971c2")
    reads = []
    bob.on("request", lambda request: reads.append(request.url) if request.method == "GET" else None)

    # Alice renames the label in her label manager: Bob's cards show the new name at once, from the socket alone.
    card(alice, "Order badges").get_by_role("button", name="Order badges").click()
    dialog = alice.locator("#task-dialog")
    dialog.get_by_text("Manage labels").click()
    manager = dialog.locator('[data-role="label-manager"]')
    alice.once("dialog", lambda prompt: prompt.accept("Printing"))
    manager.get_by_role("button", name="Rename Print").click()
    for title in ("Order badges", "Hang posters"):
        expect(card(bob, title).locator(".label-chip")).to_have_text(["Printing"])
    expect(card(alice, "Hang posters").locator(".label-chip")).to_have_text(["Printing"])  # her own board too

    # And recolours it: the chips take the new colour.
    manager.get_by_label("Colour of Printing").fill("#e03131")
    for title in ("Order badges", "Hang posters"):
        chip = card(bob, title).locator(".label-chip")
        expect(chip).to_have_attribute("data-color", "#e03131")
        expect(chip).to_have_css("--chip", "#e03131")
    # Bob's filter chips learnt the new name from the same frames.
    expect(bob.get_by_role("group", name="Labels").get_by_role("button")).to_have_text(["Printing"])

    assert [url for url in reads if "/api/" in url] == []  # nothing read again: no reload, no refetch
    assert still_same_document(bob)
    assert alice.errors == [] and bob.errors == []
