"""Links that reopen an experiment: query keys are the CLI's flag names, and the command trains the same run."""

from __future__ import annotations

import contextlib
import io
import json
import shlex
from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest

from lessons.registry import LABS
from models.cli import build_parser
from models.cli import main as cli_main
from tests.apptest.helpers import lab_session, open_linked, set_widget, texts, train_to_end
from ui.experiment_settings import takes_links
from ui.i18n import Translator

ZH = Translator("zh-TW")


def _codes(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


def test_the_issues_link_opens_xor_with_its_five_settings_and_does_not_train():
    at = open_linked("xor", hidden="5", activation="tanh", optimizer="sgd", lr="0.1", seed="7")
    ss = at.session_state
    assert (ss["xor_layers"], ss["xor_neurons"]) == (1, 5)
    assert ss["xor_activation"] == "tanh" and ss["xor_optimizer"] == "sgd"
    assert ss["xor_lr"] == 0.1 and ss["xor_seed"] == 7
    assert not lab_session(at, "xor").live.has_run
    assert texts(at, "warning") == []


def test_bad_values_get_one_message_naming_each_key_and_the_rest_applies():
    at = open_linked("xor", hidden="-3", activation="swish", lr="abc", seed="7", neurons="10000")
    assert at.session_state["xor_seed"] == 7
    assert at.session_state["xor_neurons"] == 3  # the lab's default, kept
    [warning] = texts(at, "warning")
    for key in ("hidden=-3", "activation=swish", "lr=abc", "'neurons'"):
        assert key in warning, key


def test_a_value_outside_the_labs_slider_is_refused_and_one_between_notches_snaps():
    at = open_linked("xor", hidden="10000", lr="0.05", **{"batch-size": "3"})
    [warning] = texts(at, "warning")
    assert "hidden=10000" in warning
    assert at.session_state["xor_lr"] == 0.03 and "0.03" in warning
    assert at.session_state["xor_batch"] == 2 or at.session_state["xor_batch"] == 4


def test_a_teachers_link_works_in_chinese_and_words_the_problem_in_chinese():
    at = open_linked("xor", lang="zh-TW", activation="swish", seed="9")
    assert at.session_state["xor_seed"] == 9
    [warning] = texts(at, "warning")
    assert warning.startswith(ZH("experiment.link.problems"))
    assert "維持原值" in warning


def test_the_link_applies_once_so_the_students_own_moves_win():
    at = open_linked("xor", seed="7")
    set_widget(at, "xor_seed", 3)
    at.run()
    at.run()
    assert at.session_state["xor_seed"] == 3


def test_mnist_link_sets_a_cnn_and_a_small_training_set():
    at = open_linked(
        "mnist",
        model="cnn",
        **{"conv-channels": "8,16", "kernel-size": "5", "hidden": "64", "n-train": "500"},
    )
    ss = at.session_state
    assert ss["mnist_kind"] == "cnn" and ss["mnist_conv_blocks"] == 2
    assert ss["mnist_conv_first"] == 8 and ss["mnist_kernel"] == 5
    assert ss["mnist_cnn_dense"] == 64 and ss["mnist_n_train"] == 500
    assert texts(at, "warning") == []


def test_boston_link_sets_features_subset_and_early_stopping():
    at = open_linked(
        "boston", features="CRIM,RM,LSTAT", **{"n-train": "100", "early-stopping": "20"}
    )
    ss = at.session_state
    assert list(ss["boston_features"]) == ["CRIM", "RM", "LSTAT"]
    assert ss["boston_n_train"] == 100 and ss["boston_patience"] == 20


def test_the_shown_link_reopens_the_same_settings():
    at = open_linked("iris", hidden="8,8", optimizer="momentum", lr="0.03", seed="4")
    link = next(c for c in _codes(at) if c.startswith("/iris?"))
    query = dict(parse_qsl(link.split("?", 1)[1]))
    assert query["hidden"] == "8,8" and query["lang"] == "en"
    again = open_linked("iris", **query)
    for key in ("iris_layers", "iris_neurons", "iris_optimizer", "iris_lr", "iris_seed"):
        assert again.session_state[key] == at.session_state[key], key
    assert texts(again, "warning") == []


def test_the_shown_command_trains_the_same_run_as_the_lab():
    at = open_linked("xor", hidden="4", activation="tanh", lr="0.1", epochs="20", seed="5")
    train_to_end(at, "xor")
    with lab_session(at, "xor").live.borrow() as run:
        app_loss = run.history.latest()["valid_loss"]
    command = next(c for c in _codes(at) if c.startswith("python -m models.train"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main([*shlex.split(command)[3:], "--json"]) == 0
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["valid_loss"] == app_loss


def test_rnn_link_sets_the_task_cell_length_forget_gate_and_clipping():
    at = open_linked(
        "rnn",
        dataset="noisy_wave",
        model="lstm",
        hidden="32",
        noise="0.2",
        **{"seq-len": "60", "forget-bias": "3", "clip-grad": "1"},
    )
    ss = at.session_state
    assert ss["rnn_task"] == "noisy_wave" and ss["rnn_cell"] == "lstm"
    assert ss["rnn_neurons"] == 32 and ss["rnn_seq_len"] == 60
    assert ss["rnn_forget_bias"] == 3.0 and ss["rnn_noise_noisy_wave"] == 0.2
    assert ss["rnn_clip"] is True and ss["rnn_clip_norm"] == 1.0
    assert texts(at, "warning") == []
    link = next(c for c in _codes(at) if c.startswith("/rnn?"))
    for part in ("dataset=noisy_wave", "model=lstm", "seq-len=60", "forget-bias=3", "clip-grad=1"):
        assert part in link, part
    command = next(c for c in _codes(at) if c.startswith("python -m models.train"))
    assert command.startswith("python -m models.train --dataset noisy_wave")


def test_an_rnn_link_with_too_many_layers_names_recurrent_layers_not_hidden_layers():
    # The RNN lab's sidebar has recurrent layers of one hidden state size, not hidden layers.
    at = open_linked("rnn", lang="zh-TW", hidden="32,32,32,32")
    [warning] = texts(at, "warning")
    assert "4 個循環層" in warning and "隱藏層" not in warning
    assert at.session_state["rnn_layers"] == 1  # the lab's default, kept
    at = open_linked("rnn", hidden="32,64")
    [warning] = texts(at, "warning")
    assert "one hidden state size" in warning and "hidden layers" not in warning


def test_every_labs_command_parses_as_the_cli_would():
    linked = [entry.name for entry in LABS if takes_links(entry)]  # a new lab is tested too
    assert {"xor", "iris", "boston", "mnist", "rnn"} <= set(linked)
    for name in linked:
        at = open_linked(name)
        command = next(c for c in _codes(at) if c.startswith("python -m models.train"))
        build_parser().parse_args(shlex.split(command)[3:])


def test_a_boston_subset_command_trains_on_the_same_rows_as_the_lab():
    at = open_linked("boston", epochs="10", **{"n-train": "100", "early-stopping": "0"})
    train_to_end(at, "boston")
    with lab_session(at, "boston").live.borrow() as run:
        app_rmse = run.history.latest()["valid_rmse"]
        assert len(run.dataset.y_train) == 100
    command = next(c for c in _codes(at) if c.startswith("python -m models.train"))
    assert "--n-train 100" in command
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main([*shlex.split(command)[3:], "--json"]) == 0
    assert json.loads(out.getvalue().strip().splitlines()[-1])["valid_rmse"] == app_rmse
