"""The "Code" view: every training lab shows its script for the current settings, and both downloads work.

AppTest keeps a download's bytes in a media store that lives only during a run;
the `media` fixture keeps hold of each run's store, so a test can read the file a
button would send, and run the zip's deferred callable as a click would.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test

import data
from tests.apptest.helpers import open_page, set_widget, train_to_end


class _KeptManager(MediaFileManager):
    """A MediaFileManager that remembers itself, so a test can read what a button serves."""

    made: list[MediaFileManager] = []

    def __init__(self, storage) -> None:
        super().__init__(storage)
        self.storage = storage
        _KeptManager.made.append(self)


@pytest.fixture
def media(monkeypatch):
    """The media managers of the AppTest runs in this test, newest last."""
    _KeptManager.made = []
    monkeypatch.setattr(app_test, "MediaFileManager", _KeptManager)
    return _KeptManager.made


def _open_code(at, lab: str):
    """Open the lab's Code expander (it builds its content only while open) and rerun."""
    at.session_state[f"{lab}_code_open"] = True
    return at.run()


def _script(at) -> str:
    scripts = [c.value for c in at.get("code") if "class Net(nn.Module)" in c.value]
    assert len(scripts) == 1, "one script on the page"
    return scripts[0]


def _download(at, media, key: str) -> bytes:
    """The bytes the download button `key` sends (a deferred one is run as a click runs it)."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    manager = media[-1]
    url = button.proto.url or manager.execute_deferred(button.proto.deferred_file_id)
    return manager.storage.get_file(url.rsplit("/", 1)[-1].split("?")[0]).content


@pytest.mark.parametrize(
    ("lab", "expect"),
    [
        ("xor", ["nn.Linear(2, 3)", 'TRAIN_FILE, VALID_FILE = "train.csv", "valid.csv"']),
        ("iris", ["CLASSES = ['setosa', 'versicolor', 'virginica']", "MEAN = np.array("]),
        ("boston", ["TARGET = 'MEDV'", "STD = np.array(", "EARLY_STOPPING"]),
        ("mnist", ["/ 255.0", "mnist_train.csv", "# (N, 784)"]),
    ],
)
def test_every_lab_shows_its_script_and_offers_it_for_download(lab, expect, media):
    at = _open_code(open_page(lab), lab)
    script = _script(at)
    compile(script, "run.py", "exec")  # valid Python
    for text in ("class Net(nn.Module)", "def forward(self, x)", "optimizer.zero_grad()"):
        assert text in script
    for text in expect:
        assert text in script, text
    assert _download(at, media, "code_script").decode("utf-8").rstrip("\n") == script.rstrip("\n")


def test_the_script_follows_the_current_settings_before_training(media):
    at = _open_code(open_page("iris"), "iris")
    before = _script(at)
    set_widget(at, "iris_epochs", 7)
    set_widget(at, "iris_optimizer", "sgd")
    at.run()
    after = _script(at)
    assert after != before and "EPOCHS = 7" in after and "torch.optim.SGD(" in after


def test_the_data_download_holds_the_labs_rows(media):
    at = _open_code(open_page("iris"), "iris")
    archive = zipfile.ZipFile(io.BytesIO(_download(at, media, "code_data")))
    assert sorted(archive.namelist()) == ["train.csv", "valid.csv"]
    ds = data.load("iris")
    train = archive.read("train.csv").decode("utf-8").splitlines()
    assert train[0].endswith(",species") and len(train) == 1 + len(ds.y_train)
    again = data.load_tabular_csv(archive.read("valid.csv"), target="species")
    assert len(again.y_train) + len(again.y_valid) == len(ds.y_valid)


def test_after_training_the_view_stays_and_speaks_chinese(media):
    at = open_page("xor", lang="zh-TW")
    train_to_end(at, "xor")
    assert any(e.label.startswith("程式碼") for e in at.expander)
    assert "class Net(nn.Module)" in _script(_open_code(at, "xor"))


def test_closed_the_view_sends_no_script_and_opened_it_stays_open(media):
    at = open_page("boston")
    assert any(e.label.startswith("Code") for e in at.expander)
    assert not [c for c in at.get("code") if "class Net(nn.Module)" in c.value]
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("code_script")]
    _open_code(at, "boston")
    assert "torch.optim.SGD(" not in _script(at)
    set_widget(at, "boston_optimizer", "sgd")
    at.run()  # another rerun: still open, now with the new settings
    assert "torch.optim.SGD(" in _script(at)
