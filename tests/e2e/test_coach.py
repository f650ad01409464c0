"""The coach in a real browser: a flagged XOR run, its button, and the comparison it starts."""

from __future__ import annotations

import re

import pytest

from models.diagnose import Finding
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_compare import status_line, wait_for_legend, wait_until_done
from tests.e2e.test_labs import shot
from ui.coach.words import button_text
from ui.i18n import Translator

pytestmark = pytest.mark.e2e

EN = Translator("en")
# XOR 2-3-1 ReLU, seed 2: two of the three units are dead from epoch 10 on (tests/apptest/test_coach.py).
DEAD = Finding("dead_units", {"dead": 2, "units": 3, "n_inputs": 4}, {"activation": "leaky_relu"})


def test_follow_the_coachs_button_to_a_pinned_comparison(app_url, page, shot_dir):
    page.goto(f"{app_url}/xor?epochs=30&seed=2&lang=en")
    page.get_by_role("heading", name=re.compile("^XOR")).first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_role("button", name=EN("common.train"), exact=True).click()
    wait_until_done(page)
    page.get_by_text(EN("coach.dead_units.why")).first.wait_for(timeout=30_000)
    # The button lives in the live fragment: following it must still rerun the whole page,
    # so that the suggestion reaches the sidebar and the new run starts.
    first = status_line(page)
    page.get_by_role("button", name=button_text(DEAD, EN)).click()
    wait_until_done(page, after=first)
    names = wait_for_legend(page, "Run 2 (now) · validation")
    for name in ("Run 1 · training", "Run 1 · validation", "Run 2 (now) · training"):
        assert name in names, names
    table = page.locator("[data-testid='stTable']", has_text=EN("compare.columns.changes"))
    row = table.locator("tr", has_text="Run 2 (now)")
    row.wait_for(timeout=30_000)
    assert "Activation ReLU → Leaky ReLU" in row.inner_text()
    assert EN("compare.table.same_seed", seed=2) in row.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, shot_dir / "xor_coach.png")
