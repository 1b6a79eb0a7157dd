"""The browser tests' fixtures (a live Daphne, Chromium), shared with the modules beside test_browser.py."""

from apps.dashboard.tests.test_browser import (  # noqa: F401  (fixtures, found by name)
    browser,
    chromium,
    migrated_db,
    server,
    server_overrides,
)
