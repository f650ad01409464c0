"""The MNIST page's Draw / Train / Inspect tabs keep their place; the Inspect gallery lines up."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import ROOT


def test_the_tab_stays_across_a_page_switch():
    # A teacher's review: back from another page mid-run, the page showed the Draw tab.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/mnist.py").run()
    at.session_state["mnist_tab"] = "Train"
    at.run()
    at.switch_page("pages/xor.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/mnist.py").run()
    assert not at.exception, at.exception
    assert at.session_state["mnist_tab"] == "Train"


def test_the_mistakes_gallery_is_drawn_row_by_row():
    # A teacher's review: six columns stacked on their own drifted out of line when some
    # captions wrapped. Each row of six is now its own set of columns: one digit a column.
    at = AppTest.from_file(str(ROOT / "pages" / "mnist.py"), default_timeout=120)
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    assert not at.exception, at.exception
    kinds = [[type(e).__name__ for e in c.children.values()] for c in at.columns]
    gallery = [k for k in kinds if "Image" in k]
    assert len(gallery) > 6 and all(k == ["Image"] for k in gallery)
