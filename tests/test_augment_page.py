"""The MNIST lab's augmentation toggle and the Inspect tab's clean-against-re-drawn accuracy (AppTest)."""

from __future__ import annotations

from tests.apptest.helpers import lab_session, open_page, set_widget, texts, train_to_end
from tests.apptest.language_checks import english_words
from tests.apptest.test_mnist_page import mnist_csv, upload
from ui.mnist.inspect import REDRAWN_N


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_toggle_trains_with_augmentation_and_inspect_compares_clean_and_redrawn():
    at = open_page("mnist")
    assert at.toggle(key="mnist_augment").value is False
    upload(at, mnist_csv(300), mnist_csv(100, offset=300))
    set_widget(at, "mnist_epochs", 1)
    at.toggle(key="mnist_augment").set_value(True)
    at.run()
    assert train_to_end(at, "mnist").startswith("Finished · epoch 1/1")
    with lab_session(at, "mnist").live.borrow() as run:
        assert run.train_config.augment is True
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    assert not at.exception, at.exception
    assert "**Does it read other hands?**" in texts(at, "markdown")
    metrics = _metrics(at)
    clean = metrics["Accuracy on the digits as MNIST gives them"]
    redrawn = metrics["Accuracy on the same digits re-drawn"]
    assert clean.endswith("%") and redrawn.endswith("%")
    deltas = [m.proto.delta for m in at.metric if m.label.startswith("Accuracy on the same")]
    assert deltas[0].endswith(" points")
    assert any(f"The same {REDRAWN_N} validation digits" in t for t in texts(at, "caption"))


def test_the_pretrained_models_show_their_gap_in_chinese_too():
    at = open_page("mnist", lang="zh-TW")
    at.session_state["mnist_tab"] = "檢視"
    at.run()
    assert not at.exception, at.exception
    metrics = _metrics(at)
    assert {"MNIST 原本數字的準確率", "同一批數字重畫後的準確率"} <= set(metrics)
    # The shipped MLP, trained with augmentation, reads the re-drawn digits above 95%.
    assert float(metrics["同一批數字重畫後的準確率"].rstrip("%")) > 95
    assert english_words(at) == []
