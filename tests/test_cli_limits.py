"""`python -m models.train` refuses a value beyond models.flags.FLAGS' limits, before training.

An lr of 1e30 used to train, turn the loss to NaN after one step and be told the data
was to blame; a seed of -5 or 10**8 epochs were taken silently. Each now gets one line
naming the flag, the value and the allowed range, the sentence the catalogues word.
"""

from __future__ import annotations

import pytest

from models import flags
from models.cli import build_parser, main
from models.flags import FLAGS
from tests.test_error_codes import _check


@pytest.fixture(autouse=True)
def no_training(monkeypatch):
    """A run that gets as far as training fails at once (an old CLI took 10**8 epochs)."""
    import models.trainer

    def refuse(*args, **kwargs):
        raise AssertionError("the CLI started training")

    monkeypatch.setattr(models.trainer, "TrainingRun", refuse)


@pytest.mark.parametrize(
    ("flag", "value", "shown", "limits"),
    [
        ("lr", "1e30", "1e+30", "1e-07 to 100"),
        ("lr", "1e20", "1e+20", "1e-07 to 100"),
        ("lr", "inf", "inf", "1e-07 to 100"),
        ("lr", "nan", "nan", "1e-07 to 100"),  # NaN is within no limit
        ("lr", "-1", "-1", "1e-07 to 100"),
        ("seed", "-5", "-5", "0 to 2147483647"),
        ("seed", "99999999999", "99999999999", "0 to 2147483647"),
        ("clip-grad", "-1", "-1", "0 to 100"),
        ("epochs", "99999999", "99999999", "1 to 10000"),
        ("batch-size", "0", "0", "1 to 60000"),
        ("weight-decay", "11", "11", "0 to 10"),
        ("dropout", "0.99", "0.99", "0 to 0.95"),  # below 1, so the model could be built
        ("hidden", "64,5000", "5000", "1 to 4096"),  # the layer that is too wide
        ("early-stopping", "-2", "-2", "0 to 10000"),
        ("noise", "-0.5", "-0.5", "0 to 5"),
    ],
)
def test_a_value_beyond_its_flags_limits_is_one_line_before_training(
    flag, value, shown, limits, capsys
):
    assert main(["--dataset", "xor", "--epochs", "1", f"--{flag}", value]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # not one epoch trained
    assert captured.err == f"error: --{flag} {shown} is outside the allowed range {limits}.\n"


def test_the_message_is_the_catalogues_in_both_languages():
    error = flags.out_of_limits({"lr": 1e30, "seed": 0})
    _check(
        error, "flag_out_of_range", {"flag": "lr", "value": "1e+30", "low": "1e-07", "high": "100"}
    )


def test_every_limit_is_checked_and_its_ends_are_allowed():
    parser = build_parser()
    dests = {action.dest for action in parser._actions}
    limited = [f for f in FLAGS.values() if f.low is not None and f.high is not None]
    assert {f.name.replace("-", "_") for f in limited} <= dests  # each one reaches the CLI
    for flag in limited:
        whole = flag.kind in ("int", "ints")
        ends = [int(flag.low), int(flag.high)] if whole else [flag.low, flag.high]
        for end in ends:
            given = [end] if flag.kind == "ints" else end
            assert flags.out_of_limits({flag.name: given}) is None, (flag.name, end)
        step = 1 if whole else 1e-9 * max(1.0, abs(flag.high))
        above = int(flag.high) + 1 if whole else flag.high + step
        assert flags.out_of_limits({flag.name: above}).params["flag"] == flag.name
    assert flags.out_of_limits({"lr": None, "seed": None}) is None  # not given: the default holds


def test_an_empty_feature_list_is_refused_not_read_as_every_feature(capsys):
    assert main(["--dataset", "iris", "--features", "", "--epochs", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: features is empty")
    assert captured.err.count("\n") == 1
