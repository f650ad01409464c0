"""The MNIST preset picker names the preset the controls match, or "Custom" when none does."""

from __future__ import annotations

from tests.apptest.helpers import open_linked, open_page, texts
from ui.i18n import Translator
from ui.mnist.controls import CUSTOM, PRESETS, matching_preset

ZH = Translator("zh-TW")


def test_matching_preset_needs_every_value_of_a_preset():
    for name, values in PRESETS.items():
        assert matching_preset(values.get) == name
    changed = dict(PRESETS["CNN"], mnist_epochs=9)
    assert matching_preset(changed.get) == CUSTOM
    assert matching_preset(lambda key: None) == CUSTOM


def test_a_students_change_shows_custom_and_a_pick_puts_the_preset_back():
    at = open_page("mnist")
    assert at.selectbox(key="mnist_preset").value == "Fast MLP"
    at.slider(key="mnist_neurons").set_value(64).run()
    assert at.selectbox(key="mnist_preset").value == CUSTOM
    assert any("match no preset" in c for c in texts(at, "caption"))
    at.selectbox(key="mnist_preset").set_value("Fast MLP").run()
    assert at.slider(key="mnist_neurons").value == 128
    assert at.selectbox(key="mnist_preset").value == "Fast MLP"
    at.selectbox(key="mnist_preset").set_value(CUSTOM).run()  # picks nothing: values stay
    assert at.slider(key="mnist_neurons").value == 128 and not at.exception


def test_a_link_that_makes_a_cnn_does_not_leave_the_picker_on_the_fast_mlp():
    at = open_linked("mnist", lang="zh-TW", model="cnn")
    assert at.radio(key="mnist_kind").value == "cnn"
    assert at.selectbox(key="mnist_preset").value == CUSTOM  # a CNN, with the Fast MLP's 5 epochs
    assert ZH("mnist.presets.custom.help") in texts(at, "caption")
    at = open_linked("mnist", model="cnn", epochs="4")
    assert at.selectbox(key="mnist_preset").value == "CNN"  # every CNN preset value


def test_a_cnn_preset_stays_named_and_fully_applied_when_the_mlp_returns():
    # The CNN does not draw the MLP's dropout: it used to keep its old remembered value, so the
    # picker said Custom at the next unrelated change, and the MLP came back with it.
    at = open_page("mnist")
    at.slider(key="mnist_dropout").set_value(0.2).run()
    assert at.selectbox(key="mnist_preset").value == CUSTOM
    at.selectbox(key="mnist_preset").set_value("CNN").run()
    at.toggle(key="mnist_augment").set_value(True).run()  # in no preset: not a preset change
    assert at.selectbox(key="mnist_preset").value == "CNN"
    at.radio(key="mnist_kind").set_value("mlp").run()
    assert at.slider(key="mnist_dropout").value == 0.0  # the CNN preset's, not the old 0.2
