"""Model files a lab refuses: one sentence in the page's language, the current run and sidebar kept."""

from __future__ import annotations

import data
import models
from models import ModelConfig, TrainConfig
from tests.apptest.helpers import lab_session, open_page, upload_model_file
from tests.model_file_helpers import edited_description
from ui.i18n import Translator

ZH = Translator("zh-TW")
SIDEBAR_KINDS = ("slider", "select_slider", "selectbox", "radio", "checkbox", "number_input")


def _sidebar(at) -> dict:
    return {w.key: w.value for kind in SIDEBAR_KINDS for w in at.sidebar.get(kind) if w.key}


def _errors(at) -> list[str]:
    return [e.value for e in at.get("error")]


def _xor_file(edit=None) -> bytes:
    """An NN Lab XOR file, its description edited by `edit` (a file changed by hand)."""
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,), activation="tanh")
    tc = TrainConfig(optimizer="sgd", lr=0.1, batch_size=4, epochs=3)
    blob = models.model_to_bytes(models.build_model(mc), train_config=tc, dataset=ds)
    return blob if edit is None else edited_description(blob, edit)


def test_an_mlp_file_from_the_cli_is_refused_by_the_rnn_lab_and_its_run_stays():
    # `python -m models.train --dataset marked_sum --model mlp --save f.pth` makes such a file;
    # the lab used to take it and then fail in its views, the student's run gone.
    ds = data.load("marked_sum")
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=(8,))
    blob = models.model_to_bytes(models.build_model(mc), train_config=TrainConfig(), dataset=ds)
    at = open_page("rnn", lang="zh-TW")
    session = lab_session(at, "rnn")
    before = _sidebar(at)
    upload_model_file(at, "rnn", "mlp.pth", blob)
    reason = ZH("errors.model_kind_not_in_lab", kind="MLP", choices="RNN/LSTM/GRU")
    assert ZH("common.files.failed", reason=reason) in _errors(at)
    assert _sidebar(at) == before and not session.uploaded


def test_a_hand_edited_file_is_refused_in_one_sentence_and_changes_nothing():
    at = open_page("xor", lang="zh-TW")
    before = _sidebar(at)
    edits = {
        "train_config.optimizer": (
            lambda m: m["train_config"].update(optimizer="lbfgs"),
            "'lbfgs'",
        ),
        "train_config.batch_size": (lambda m: m["train_config"].update(batch_size=0), "0"),
        "train_config.lr": (lambda m: m["train_config"].update(lr="abc"), "'abc'"),
        "history": (lambda m: m.update(history=5), "5"),
        "dataset.options.n_per_corner": (
            lambda m: m["dataset"]["options"].update(n_per_corner="many"),
            "'many'",
        ),
    }
    for n, (setting, (edit, value)) in enumerate(edits.items()):
        upload_model_file(at, "xor", f"edited{n}.pth", _xor_file(edit))
        reason = ZH("errors.model_file_bad_setting", setting=setting, value=value)
        assert _errors(at) == [ZH("common.files.failed", reason=reason)], setting
        assert _sidebar(at) == before and not lab_session(at, "xor").uploaded
    # A network of 200,000 × 200,000 neurons is refused without building it (160 GB).
    huge = _xor_file(lambda m: m["model_config"].update(hidden=[200_000, 200_000]))
    upload_model_file(at, "xor", "huge.pth", huge)
    assert len(_errors(at)) == 1 and "200000" in _errors(at)[0]
    assert _sidebar(at) == before and not lab_session(at, "xor").uploaded
    # ... and the unedited file still loads.
    upload_model_file(at, "xor", "fine.pth", _xor_file())
    assert not _errors(at) and lab_session(at, "xor").uploaded


def test_a_refused_file_does_not_show_the_last_files_unusable_settings():
    at = open_page("xor")
    upload_model_file(
        at, "xor", "fast.pth", _xor_file(lambda m: m["train_config"].update(lr=100.0))
    )
    assert [w.value for w in at.get("warning") if "lr=100" in w.value]
    refused = _xor_file(lambda m: m["train_config"].update(optimizer="lbfgs"))
    upload_model_file(at, "xor", "refused.pth", refused)
    assert len(_errors(at)) == 1
    assert not [w.value for w in at.get("warning") if "lr=100" in w.value]
