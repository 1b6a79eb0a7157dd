"""Email verification and password reset through the dashboard, in a real Chromium against a real Daphne whose
in-process worker writes its emails to files (the links are followed from there)."""

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from apps.common.tests.utils import wait_for
from apps.dashboard.tests.test_browser import (  # noqa: F401  (fixtures)
    browser,
    chromium,
    migrated_db,
    server,
    server_overrides,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a-Strong-passphrase-42"
NEW_PASSWORD = "a-Fresh-passphrase-77"


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def server_overrides(mail_dir) -> dict[str, str]:  # noqa: F811  (this module's server writes emails to files)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }


def link_from(mail_dir: Path, *, to: str, path_part: str, seen: set[str]) -> str:
    """The path of the link in the first new email to `to` whose text contains `path_part`."""

    def find() -> str | None:
        for file in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
            for raw in re.split(rb"\n-{79}\n", file.read_bytes()):
                message = email.message_from_bytes(raw.strip() + b"\n", policy=email.policy.default)
                if to not in str(message["To"]) or str(message["Message-ID"]) in seen:
                    continue
                text = message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(rf"http://\S*{re.escape(path_part)}\S*", text)
                if found:
                    seen.add(str(message["Message-ID"]))
                    return urlsplit(found.group(0)).path
        return None

    return wait_for(find, timeout=30, what=f"an email to {to} with {path_part}")


def test_sign_up_verify_the_address_then_reset_the_password(browser: Browser, server, mail_dir):  # noqa: F811
    seen: set[str] = set()
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/signup/")
    page.get_by_label("Username").fill("zoe")
    page.get_by_label("Email").fill("zoe@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    first_link = link_from(mail_dir, to="zoe@example.com", path_part="/account/verify/", seen=seen)

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("zoe")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    banner = page.locator("#verify-banner")
    expect(banner).to_contain_text("Confirm your email address")
    banner.get_by_role("button", name="Resend the link").click()
    link = link_from(mail_dir, to="zoe@example.com", path_part="/account/verify/", seen=seen)

    page.goto(link)
    expect(page.get_by_role("heading", name="Email address confirmed")).to_be_visible()
    page.goto(first_link)  # the state the older link was made for is gone: single use
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    page.goto("/account/")
    expect(page.locator("#account-email")).to_contain_text("verified")
    expect(page.locator("#verify-banner")).to_have_count(0)
    page.get_by_role("button", name="Sign out", exact=True).click()

    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill("zoe@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    reset_link = link_from(mail_dir, to="zoe@example.com", path_part="/reset/", seen=seen)

    page.goto(reset_link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    page.goto(reset_link)
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()

    page.goto("/login/")
    page.get_by_label("Username").fill("zoe")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live-status")).to_have_text("Live")
    assert errors == []
    context.close()
