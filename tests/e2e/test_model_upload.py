"""A real upload in chromium: the slides' plain state_dict into XOR, then NN Lab's own file restoring the sidebar."""

from __future__ import annotations

import re
import time

import pytest
import torch
from torch import nn

import data
import models
from models import ModelConfig, TrainConfig
from tests.e2e.test_labs import open_page

pytestmark = pytest.mark.e2e


FILES = "Model file: download or upload"


def _open_files(page) -> None:
    """Open the model-file expander if it is closed (a click on an open one would close it)."""
    details = page.locator("[data-testid='stExpander'] details").filter(has_text=FILES).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _file_input(page):
    """The model uploader's file input, its expander opened."""
    _open_files(page)
    return page.locator("[data-testid='stFileUploader'] input[type='file']").first


def _wait_in_files(page, text, timeout: float = 60) -> None:
    """Wait until `text` shows in the model-file expander, reopening it if a rerun closed it."""
    deadline = time.monotonic() + timeout
    target = page.get_by_text(text).first
    while not (target.count() and target.is_visible()):
        assert time.monotonic() < deadline, f"{text!r} never showed"
        if page.locator("[data-testid='stExpander'] details").filter(has_text=FILES).count():
            _open_files(page)
        time.sleep(0.25)


def test_upload_a_state_dict_then_an_nn_lab_file(page, app_url, tmp_path):
    torch.manual_seed(0)
    slides = nn.Module()
    slides.fc1, slides.fc2 = nn.Linear(2, 3), nn.Linear(3, 1)  # the slides' 2-3-1 XOR net
    plain = tmp_path / "xor_state_dict.pth"
    torch.save(slides.state_dict(), plain)

    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,), activation="tanh")
    own = tmp_path / "nnlab_xor.pth"
    models.save_model(models.build_model(mc), own, train_config=TrainConfig(seed=7), dataset=ds)

    open_page(page, app_url, "xor")
    _file_input(page).set_input_files(str(plain))
    _wait_in_files(
        page,
        "Loaded the weights of a plain state_dict into the network set in the sidebar (2-3-1 ReLU).",
    )
    assert not page.get_by_text(re.compile("You changed a ↻ setting")).count()

    _file_input(page).set_input_files(str(own))
    _wait_in_files(page, re.compile("The sidebar now shows the settings it was trained with"))
    # The sidebar shows the file's settings (the lab's defaults are 3 neurons and ReLU).
    page.wait_for_function(
        """() => {
            const n = document.querySelector(".st-key-xor_neurons input[type='range']");
            const a = document.querySelector(".st-key-xor_activation input[role='combobox']");
            return n && a && n.value === "5" && a.value === "Tanh";
        }""",
        timeout=30_000,
    )
    # The upload is the sidebar's run: it can be trained further, not "settings changed".
    page.get_by_role("button", name="Train more").wait_for(timeout=30_000)
    assert not page.get_by_text(re.compile("You changed a ↻ setting|Showing the model you")).count()
