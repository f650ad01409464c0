"""The app starts under `streamlit run` and its home page renders in a real browser."""

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import shot

pytestmark = pytest.mark.e2e


def test_home_page_renders(app_url, page, shot_dir):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("NN Lab", exact=False).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, shot_dir / "home.png")
