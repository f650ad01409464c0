"""A link's settings warning speaks of the lab it opens, and lasts as long as the link's visit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import ROOT, open_linked, set_widget, texts

LINK_KEYS_ELSEWHERE = ("seq-len", "conv-channels", "kernel-size", "forget-bias", "n-per-corner")


def _rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_unknown_key_lists_the_labs_own_settings_and_suggests_the_likely_one():
    at = open_linked("boston", lang="zh-TW", layers="99")
    [warning] = texts(at, "warning")
    assert "「layers」" in warning and "是不是要寫成 hidden？" in warning
    assert "features" in warning and "early-stopping" in warning
    for key in LINK_KEYS_ELSEWHERE:
        assert key not in warning, key
    at = open_linked("xor", foo="bar", learning_rate="0.1")
    [warning] = texts(at, "warning")
    assert "'foo'" in warning and "n-per-corner" in warning and "features" not in warning
    assert "Did you mean lr?" in warning and at.session_state["xor_lr"] != 0.1


def test_mnist_offers_only_its_own_model_kinds():
    at = open_linked("mnist", lang="zh-TW", model="transformer")
    [warning] = texts(at, "warning")
    assert "model=transformer" in warning and "mlp, cnn" in warning and "lstm" not in warning
    before = at.session_state["mnist_kind"]
    at = open_linked("mnist", model="rnn")
    [warning] = texts(at, "warning")
    assert "model=rnn" in warning and "mlp, cnn" in warning
    assert at.session_state["mnist_kind"] == before != "rnn"
    assert texts(open_linked("mnist", model="cnn"), "warning") == []


def test_a_links_warning_lasts_while_its_link_is_shown_and_goes_with_it():
    at = open_linked("xor", lang="zh-TW", lr="abc")
    [warning] = texts(at, "warning")
    assert "lr=abc" in warning
    set_widget(at, "xor_seed", 3)  # the student works on the page: the link is still the address
    assert "lr=abc" in texts(_rerun(at), "warning")[0]
    del at.query_params["lr"]  # /xor?lang=zh-TW in the same tab
    assert texts(_rerun(at), "warning") == []
    assert at.session_state["xor_seed"] == 3  # the student's own moves stay
    at.query_params["lr"] = "abc"  # the same link again: it applied once, and was seen
    assert texts(_rerun(at), "warning") == []
    at.query_params["lr"] = "xyz"  # a new link: its own warning
    assert "lr=xyz" in texts(_rerun(at), "warning")[0]


def _visit(at: AppTest, page: str, **query: str) -> AppTest:
    """Go to `page` through the router; like the browser, a page switch leaves only ?lang=."""
    for key in [k for k in at.query_params if k != "lang"]:
        del at.query_params[key]
    at.query_params.update(query)
    at.switch_page(page).run()
    assert not at.exception, (page, at.exception)
    return at


def test_leaving_the_page_and_coming_back_drops_the_links_and_a_files_warning():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "zh-TW"
    at.run()
    _visit(at, "pages/xor.py", lr="abc")
    assert "lr=abc" in texts(at, "warning")[0]
    _visit(at, "pages/iris.py")
    assert texts(at, "warning") == []
    _visit(at, "pages/xor.py")
    assert texts(at, "warning") == []
    # Settings queued by a model file or a comparison (no link): their note lasts the visit.
    at.session_state["settings::queued::xor"] = {"lr": 0.05}
    _rerun(at)
    assert "lr=0.05" in texts(at, "warning")[0] and at.session_state["xor_lr"] == 0.03
    assert "lr=0.05" in texts(_rerun(at), "warning")[0]
    _visit(at, "pages/iris.py")
    _visit(at, "pages/xor.py")
    assert texts(at, "warning") == []


def test_a_layer_count_the_lab_lacks_is_called_a_layer_count():
    # "hidden=" and thirteen fives used to read as uneven layers and as a width of 13.
    for value, count in (("", 0), (",".join(["5"] * 13), 13)):
        [warning] = texts(open_linked("xor", lang="zh-TW", hidden=value), "warning")
        assert f"指定了 {count} 個隱藏層" in warning and "1 到 3 個" in warning, warning
    [warning] = texts(open_linked("xor", __proto__="1"), "warning")
    assert "'__proto__'" in warning  # named as typed, not "--proto--"
