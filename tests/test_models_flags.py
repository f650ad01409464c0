"""models.flags: one vocabulary (the CLI's flag names) for commands, links and comparisons."""

from __future__ import annotations

import shlex

import pytest

import data
from data.errors import CodedError
from models import ModelConfig, TrainConfig
from models.cli import build_parser
from models.flags import (
    FLAGS,
    command_of,
    diff_settings,
    format_value,
    parse_settings,
    parse_value,
    query_of,
    settings_of,
    suggest_setting,
)


def _configs(**train):
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,), activation="tanh")
    return mc, TrainConfig(**{"optimizer": "sgd", "lr": 0.1, "seed": 7, **train})


def test_every_flag_is_a_cli_option_with_the_same_name():
    options = {a.option_strings[0] for a in build_parser()._actions if a.option_strings}
    for name in FLAGS:
        assert f"--{name}" in options, name


def test_settings_of_names_model_training_and_data_settings():
    ds = data.load("boston", split="course", features=["CRIM", "RM"], n_train=100)
    mc, tc = _configs(early_stopping=30)
    s = settings_of(mc, tc, ds)
    assert s["hidden"] == (5,) and s["activation"] == "tanh" and s["lr"] == 0.1
    assert s["seed"] == 7 and s["early-stopping"] == 30
    assert s["split"] == "course" and s["features"] == ("CRIM", "RM") and s["n-train"] == 100
    assert "conv-channels" not in s  # an MLP has no conv blocks to compare


def test_the_issues_link_parses_to_its_five_settings():
    settings, errors = parse_settings(
        {"hidden": "5", "activation": "tanh", "optimizer": "sgd", "lr": "0.1", "seed": "7"}
    )
    assert errors == []
    assert settings == {
        "hidden": (5,),
        "activation": "tanh",
        "optimizer": "sgd",
        "lr": 0.1,
        "seed": 7,
    }


@pytest.mark.parametrize(
    "key, text, code",
    [
        ("activation", "swish", "setting_not_choice"),
        ("lr", "abc", "setting_not_number"),
        ("lr", "nan", "setting_not_number"),
        ("hidden", "-3", "setting_out_of_range"),
        ("hidden", "10000", "setting_out_of_range"),
        ("hidden", "5,x", "setting_not_number"),
        ("epochs", "2.5", "setting_not_whole"),
        ("batchnorm", "maybe", "setting_not_bool"),
        ("colour", "5", "setting_unknown"),
        ("neurons", "5", "setting_unknown_near"),
    ],
)
def test_a_bad_value_names_its_key_and_the_rest_still_applies(key, text, code):
    settings, errors = parse_settings({key: text, "seed": "7"})
    assert settings == {"seed": 7}
    assert [e.code for e in errors] == [code]
    assert errors[0].params["setting"] == key
    assert key in str(errors[0])


def test_hidden_takes_two_layers_and_underscores_are_accepted():
    settings, errors = parse_settings({"hidden": "500,500", "batch_size": "64", "lang": "zh-TW"})
    assert errors == [] and settings == {"hidden": (500, 500), "batch-size": 64}


def test_values_round_trip_through_their_text():
    mc, tc = _configs(weight_decay=1e-4, batch_size=16)
    settings = settings_of(mc, tc)
    back, errors = parse_settings(query_of(settings))
    assert errors == []
    assert back == {k: v for k, v in settings.items() if k != "device"}


def test_format_value_writes_lists_floats_and_bools_as_a_link_does():
    assert format_value("hidden", (500, 500)) == "500,500"
    assert format_value("lr", 0.01) == "0.01"
    assert format_value("batchnorm", True) == "true"
    assert parse_value("batchnorm", "ON") is True


def test_diff_shows_only_what_differs_in_flag_order():
    mc, tc = _configs()
    before = settings_of(mc, tc)
    after = settings_of(mc, tc)
    assert diff_settings(before, after) == []
    changed = dict(before, lr=0.01, dropout=0.5)
    assert diff_settings(before, changed) == [("dropout", 0.0, 0.5), ("lr", 0.1, 0.01)]


def test_command_is_a_cli_line_that_parses_to_the_same_configs():
    ds = data.load("iris", features=["petal length (cm)", "petal width (cm)"])
    mc, tc = _configs(batch_size=16, epochs=3)
    command = command_of("iris", settings_of(mc, tc, ds))
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "models.train"]
    args = build_parser().parse_args(words[3:])
    assert args.dataset == "iris" and args.hidden == [5] and args.activation == "tanh"
    assert args.lr == 0.1 and args.seed == 7 and args.batch_size == 16 and args.epochs == 3
    assert args.features == ["petal length (cm)", "petal width (cm)"]


def test_parse_value_raises_a_coded_error_with_the_numbers():
    with pytest.raises(CodedError) as info:
        parse_value("dropout", "2")
    assert info.value.code == "setting_out_of_range"
    assert info.value.params == {"setting": "dropout", "value": "2", "low": "0", "high": "0.95"}


@pytest.mark.parametrize(
    "key, meant",
    [
        ("layers", "hidden"),
        ("neurons", "hidden"),
        ("learning_rate", "lr"),
        ("learning-rate", "lr"),
        ("Learning_Rate", "lr"),
        ("hiden", "hidden"),
        ("batchsize", "batch-size"),
        ("epoch", "epochs"),
        ("optimiser", "optimizer"),
    ],
)
def test_an_unknown_key_suggests_the_setting_it_likely_meant(key, meant):
    settings, [error] = parse_settings({key: "5"})
    assert settings == {} and error.code == "setting_unknown_near"
    assert error.params["setting"] == key.strip()  # as the link wrote it
    assert error.params["suggestion"] == meant and f"did you mean {meant}?" in str(error)


def test_an_unknown_key_lists_and_suggests_only_the_callers_settings():
    lab = ("hidden", "activation", "lr", "seed")
    _, [error] = parse_settings({"foo": "bar"}, known=lab)
    assert error.code == "setting_unknown"
    assert error.params["keys"] == "hidden, activation, lr, seed"
    _, [error] = parse_settings({"layers": "99"}, known=lab)
    assert error.params["suggestion"] == "hidden" and "seq-len" not in error.params["keys"]
    # A near spelling of a setting the caller lacks is no suggestion: the list says what it has.
    assert suggest_setting("forget_bais", lab) is None
    assert suggest_setting("forget_bais") == "forget-bias"
    assert suggest_setting("colour") is None
    # Without `known` (the CLI's vocabulary) every flag is listed, as before.
    _, [error] = parse_settings({"foo": "bar"})
    assert error.params["keys"] == ", ".join(FLAGS)


def test_a_callers_choices_narrow_a_choice_setting():
    mnist = {"model": ("mlp", "cnn")}
    assert parse_settings({"model": "cnn"}, choices=mnist) == ({"model": "cnn"}, [])
    for kind in ("rnn", "transformer"):
        _, [error] = parse_settings({"model": kind}, choices=mnist)
        assert error.code == "setting_not_choice" and error.params["choices"] == "mlp, cnn"
    _, [error] = parse_settings({"model": "transformer"})
    assert error.params["choices"] == "mlp, cnn, rnn, lstm, gru"


def test_an_unknown_key_is_named_as_the_link_wrote_it():
    # "__proto__" was named "--proto--", a key the student never typed.
    _, errors = parse_settings({"__proto__": "1"})
    assert errors[0].code == "setting_unknown" and errors[0].params["setting"] == "__proto__"
    _, errors = parse_settings({"learning_rate": "0.1"})
    assert errors[0].params == {**errors[0].params, "setting": "learning_rate", "suggestion": "lr"}


def test_a_whole_setting_writes_its_limits_whole():
    with pytest.raises(CodedError) as info:
        parse_value("seed", "1e300")
    assert info.value.params["high"] == "2147483647"  # not 2.14748e+09


def test_a_key_given_twice_says_which_value_is_used():
    settings, errors = parse_settings({"lr": ["0.1", "0.3"], "seed": ["7", "7"]})
    assert settings == {"lr": 0.3, "seed": 7}
    assert [(e.code, e.params) for e in errors] == [
        ("setting_repeated", {"setting": "lr", "count": 2, "value": "0.3"})
    ]
