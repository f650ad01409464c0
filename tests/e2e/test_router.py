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
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
        page = context.new_page()
        page.goto(f"{url}/xor")  # the first script run of this server is a page, not "/"
        nav = page.locator("[data-testid='stSidebarNav']")
        nav.get_by_text("Exercises").wait_for(timeout=60_000)
        assert nav.get_by_text("Concepts").is_visible()
        assert nav.get_by_text("xor", exact=True).count() == 0  # no legacy file-name entries
        page.get_by_text("XOR: why we need hidden layers").wait_for()
        context.close()


# Records every text the sidebar navigation ever shows, from the first paint on.
NAV_LOG = """
window.__navTexts = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav && window.__navTexts.at(-1) !== nav.innerText) window.__navTexts.push(nav.innerText);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.mark.parametrize("path", ["/", "/xor"])
def test_a_fresh_server_never_shows_the_pages_folder_navigation(chromium_path, browser, path):
    # Until app.py reaches st.navigation, Streamlit's pages/-folder mode lists the
    # files of pages/ ("app", "activations", ...); .streamlit/config.toml hides it.
    with streamlit_app() as (_, url):
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
        page = context.new_page()
        page.add_init_script(NAV_LOG)
        page.goto(f"{url}{path}")
        page.locator("[data-testid='stSidebarNav']").get_by_text("Exercises").wait_for(
            timeout=60_000
        )
        texts = page.evaluate("() => window.__navTexts")
        assert texts and all("Exercises" in t for t in texts), texts
        context.close()
