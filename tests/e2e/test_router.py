"""The router holds even when a fresh server's very first visit is a page URL.

Streamlit decides once per process whether to use the legacy pages/-folder
mode; ui/router_guard.py must switch it off, or every session of that server
would lose app.py's sections and wide layout.
"""

import pytest

from tests.e2e.server import streamlit_app

pytestmark = pytest.mark.e2e


def test_first_visit_to_a_page_url_still_gets_the_router(chromium_path, browser):
    with streamlit_app() as (_, url):  # a server of its own: no session has visited "/" yet
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/xor")  # the first script run of this server is a page, not "/"
        nav = page.locator("[data-testid='stSidebarNav']")
        nav.get_by_text("Exercises").wait_for(timeout=60_000)
        assert nav.get_by_text("Concepts").is_visible()
        assert nav.get_by_text("xor", exact=True).count() == 0  # no legacy file-name entries
        page.get_by_text("XOR: why we need hidden layers").wait_for()
        context.close()
