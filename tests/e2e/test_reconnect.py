"""A server that stops and comes back: what a student's open page says, in the page's language.

Each test runs its own server, since it stops it; tests/e2e/test_classroom.py does the same
behind HAProxy, for a worker that stops while its students train.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from deploy.classroom import start_streamlit_process, wait_started
from tests.e2e.server import start_streamlit, stop_streamlit
from tests.e2e.test_labs import no_exception
from ui.i18n import Translator

pytestmark = pytest.mark.e2e

DIALOG = "[data-nnlab-dialog='connection'] [role='dialog']"


def _after(page, selector: str) -> str:
    """The text of `selector`'s ::after, as the browser computed it."""
    return page.eval_on_selector(selector, "e => getComputedStyle(e, '::after').content")


def test_a_stopped_server_is_explained_and_an_idle_page_says_at_once_what_was_lost(page, tmp_path):
    zh = Translator("zh-TW")
    proc, url = start_streamlit(tmp_path / "first.log")
    try:
        page.goto(f"{url}/xor?lang=zh-TW")
        page.get_by_role("button", name="訓練", exact=True).wait_for(timeout=60_000)
        # The watcher is in place once its hidden container is on the page.
        page.locator(".st-key-nnlab_connection_watch").wait_for(state="attached", timeout=30_000)
    finally:
        stop_streamlit(proc)

    # Streamlit's English dialog ("Are you connected to the internet?") reads as NN Lab's words.
    page.locator(DIALOG).wait_for(timeout=60_000)
    assert _after(page, f"{DIALOG} h2") == f'"{zh("classroom.disconnected.title")}"'
    assert _after(page, f"{DIALOG} h2 + div") == f'"{zh("classroom.disconnected.body")}"'
    assert page.eval_on_selector(f"{DIALOG} h2", "e => getComputedStyle(e).fontSize") == "0px"
    assert (
        page.eval_on_selector(f"{DIALOG} h2 + div > *", "e => getComputedStyle(e).display")
        == "none"
    )
    # The page tries again (the dialog is marked "connection", not "connection-failed"), and
    # its status corner says so in the page's language.
    status = "[data-testid='stConnectionStatus'] label"
    page.locator(status).wait_for(timeout=30_000)
    assert _after(page, status) == f'"{zh("classroom.disconnected.connecting")}"'

    # The server comes back (a restart): the page, untouched and with nothing training,
    # reruns by itself and says at once that its session is gone; no click is needed.
    parsed = urlparse(url)
    host, port = parsed.hostname, parsed.port

    def start(p: int):
        return start_streamlit_process(p, host, log=tmp_path / "second.log")

    proc, second_port = wait_started(start(port), host, port, start)
    try:
        if second_port != port:
            pytest.skip(f"another program took port {port} before the server came back")
        page.get_by_text(zh("classroom.reconnected")[:20]).wait_for(timeout=90_000)
        assert page.locator(DIALOG).count() == 0
        no_exception(page)
    finally:
        stop_streamlit(proc)
