"""Your own CSV in chromium: upload it, pick the target, train, see the curves, download the code."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import no_exception, open_page, shot, wait_for_charts, wait_for_status

pytestmark = pytest.mark.e2e


def _student_csv(path) -> None:
    """120 made-up students, semicolon-separated (as Excel saves in many locales), target first."""
    rng = np.random.default_rng(3)
    hours = rng.uniform(0, 10, 120)
    sleep = rng.uniform(4, 9, 120)
    passed = np.where(hours + 0.5 * sleep + rng.normal(0, 1, 120) > 8, "yes", "no")
    lines = ["passed;hours;sleep"] + [
        f"{p};{h:.1f};{s:.1f}" for p, h, s in zip(passed, hours, sleep, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the sidebar selectbox whose label starts with `label`."""
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stSelectbox']", has_text=label).first
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_upload_pick_the_target_train_and_download_the_code(app_url, page, shot_dir, tmp_path):
    csv = tmp_path / "students.csv"
    _student_csv(csv)
    open_page(page, app_url, "your_data")
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Your CSV file")
    uploader.locator("input[type='file']").set_input_files(str(csv))
    page.get_by_text("120 rows, 3 columns (2 numeric); values separated by semicolons").wait_for(
        timeout=60_000
    )
    wait_for_app(page)
    # The last column (sleep) is the default target: pick the one to predict instead.
    _pick(page, "Column to predict", "passed")
    page.get_by_text("Detected binary classification: the target is text").wait_for()
    no_exception(page)
    page.get_by_role("button", name="Train", exact=True).click()
    wait_for_status(page, r"^(Finished|Stopped early)", timeout=120)
    wait_for_app(page)
    titles = wait_for_charts(page, "Loss per epoch", "Confusion matrix")
    assert "Loss per epoch" in titles and "Confusion matrix" in titles
    page.get_by_text("Validation accuracy").first.wait_for()
    no_exception(page)
    shot(page, shot_dir / "your_data_trained.png")

    page.get_by_text("Code: this run as a PyTorch script").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download run.py").click()
    script = (tmp_path / "run.py").resolve()
    info.value.save_as(script)
    text = script.read_text(encoding="utf-8")
    assert "class Net(nn.Module)" in text and re.search(r"torch\.save\(model\.state_dict\(\)", text)
