"""models.diagnose on constructed histories and hand-built networks: every rule, its edges, and its texts.

The real trainer's scenarios are in test_models_diagnose_scenarios.py; here each
rule gets a history written by hand (a fake run is any object with a run's attributes).
"""

from __future__ import annotations

import math
import shlex
import string
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import data
from data.dataset import Dataset
from models import History, ModelConfig, TrainConfig, build_model, diagnose
from models.cli import build_parser
from models.diagnose import (
    ADVICE_CODES,
    FINDING_CODES,
    NO_SUGGESTION_CODES,
    SUGGESTION_KEYS,
    Finding,
    setting_text,
)
from models.flags import FLAGS, command_of
from tests.test_models_diagnose_robustness import robustness_example
from ui.i18n import LANGUAGES, Translator, catalogue

DONE = ("finished", "early_stopped", "diverged")


def rows(train, valid=None, **columns):
    """Epoch rows from per-epoch lists: rows([1, .8], [1.1, .9], valid_rmse=[3, 2])."""
    valid = valid if valid is not None else train
    out = []
    for i, (t, v) in enumerate(zip(train, valid, strict=True)):
        row = {"epoch": i + 1, "train_loss": t, "valid_loss": v}
        row.update({k: vals[i] for k, vals in columns.items()})
        out.append(row)
    return out


def fake_run(epochs=(), *, status="running", stop_code=None, stop_params=None, **kw):
    """Any object with a run's read-only attributes will do; these are a TrainingRun's."""
    attrs = {
        "history": History(step_loss=list(kw.pop("step_loss", ())), epochs=list(epochs)),
        "status": status,
        "done": status in DONE,
        "stop_code": stop_code,
        "stop_params": stop_params or {},
        "model_config": None,
        "train_config": TrainConfig(),
        "dataset": None,
        "model": None,
        "epoch": len(epochs),
    }
    attrs.update(kw)
    return SimpleNamespace(**attrs)


def codes(run, **kw):
    return [f.code for f in diagnose(run, **kw)]


def one(run, code, **kw):
    found = [f for f in diagnose(run, **kw) if f.code == code]
    assert len(found) == 1, [f.code for f in diagnose(run, **kw)]
    return found[0]


@pytest.fixture(scope="module")
def tabular():
    """200 rows of 4 features and 3 classes, standardized-looking, with every class present."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)).astype(np.float32)
    y = np.arange(200) % 3
    return Dataset("toy", "multiclass", X, y, X[:60], y[:60], list("abcd"), ["p", "q", "r"])


def toy_config(ds, **kw):
    return ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **kw)


# ------------------------------------------------------------------ edge cases
def test_a_run_without_epochs_or_with_one_has_nothing_to_say():
    assert diagnose(fake_run(status="ready")) == []
    assert diagnose(fake_run(rows([0.9], [1.0]))) == []
    assert diagnose(fake_run(rows([0.9], [1.0]), status="finished")) == []
    assert diagnose(SimpleNamespace()) == []  # not even a history


def test_a_nan_loss_in_the_history_is_a_divergence_with_a_smaller_rate():
    run = fake_run(rows([1.0, 0.5, math.nan, 0.2]), train_config=TrainConfig(lr=0.3))
    assert diagnose(run) == [Finding("diverged", {"epoch": 3, "lr": 0.3}, {"lr": 0.03})]


def test_a_diverged_run_gets_only_that_finding():
    run = fake_run(
        rows([1.0, 0.9, 0.8]),
        status="diverged",
        stop_code="diverged",
        stop_params={"epoch": 4, "step": 99, "good_epoch": 3, "value": math.inf},
        train_config=TrainConfig(optimizer="sgd", lr=1.0),
    )
    assert diagnose(run) == [Finding("diverged", {"epoch": 4, "lr": 1.0}, {"lr": 0.1})]


def test_a_loss_broken_before_any_step_blames_the_data_not_the_rate():
    run = fake_run(
        status="diverged", stop_code="diverged_at_start", stop_params={"value": math.nan}
    )
    (finding,) = diagnose(run)
    assert finding.code == "diverged_at_start" and finding.suggestion == {}
    assert "diverged_at_start" in NO_SUGGESTION_CODES


# ----------------------------------------------------------------- curve rules
def test_a_bouncing_training_loss_means_the_rate_is_too_high():
    bouncing = [1.0, 0.6, 0.9, 0.5, 0.95, 0.55, 0.9, 0.6, 1.0, 0.5, 0.9]
    run = fake_run(rows(bouncing), train_config=TrainConfig(lr=0.05))
    finding = one(run, "lr_too_high")
    assert finding.evidence == {"rises": 5, "window": 10, "rise_pct": 70.1}  # +50, 90, 64, 67, 80%
    assert finding.suggestion == {"lr": 0.005}


def test_noise_on_a_falling_loss_or_on_a_solved_one_is_not_a_bounce():
    falling = [1.0, 0.8, 0.81, 0.6, 0.5, 0.505, 0.4, 0.35, 0.36, 0.3]
    assert "lr_too_high" not in codes(fake_run(rows(falling)))
    solved = [0.7, 0.3, 0.01, 0.002, 0.004, 0.002, 0.005, 0.002, 0.004, 0.002]
    assert "lr_too_high" not in codes(fake_run(rows(solved)))


def test_a_loss_that_barely_moves_means_the_rate_is_too_low():
    slide = list(np.linspace(614.4, 609.8, 30))  # Boston, SGD 1e-6
    finding = one(
        fake_run(rows(slide), train_config=TrainConfig(optimizer="sgd", lr=1e-6)), "lr_too_low"
    )
    assert finding.evidence == {"first_loss": 614.4, "last_loss": 609.8, "epochs": 30}
    assert finding.suggestion == {"lr": 1e-05}


def test_a_plateau_is_not_a_low_rate_and_two_epochs_are_too_few_to_tell():
    plateau = [0.6932, 0.6931, 0.6932, 0.6931, 0.6932, 0.6931]
    assert "lr_too_low" not in codes(fake_run(rows(plateau)))
    assert "lr_too_low" not in codes(fake_run(rows([614.4, 614.2])))


def test_a_converged_run_sliding_slowly_at_a_low_loss_is_fine(tabular):
    low = list(np.linspace(0.05, 0.049, 10))  # guessing 3 classes costs ln 3 = 1.1
    run = fake_run(rows(low), dataset=tabular, model_config=toy_config(tabular))
    assert "lr_too_low" not in codes(run)


def test_validation_loss_climbing_from_its_minimum_is_overfitting():
    train = [1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1]
    valid = [1.0, 0.7, 0.5, 0.52, 0.55, 0.58, 0.6]
    finding = one(fake_run(rows(train, valid)), "overfitting")
    assert finding.evidence == {"epoch": 7, "rise_pct": 20.0, "best_epoch": 3}
    assert finding.suggestion == {"weight-decay": 0.001}
    decayed = fake_run(rows(train, valid), train_config=TrainConfig(weight_decay=1e-3))
    assert one(decayed, "overfitting").suggestion == {"dropout": 0.5}
    with_dropout = ModelConfig(input_shape=(4,), n_outputs=3, task="multiclass", dropout=0.5)
    both = fake_run(
        rows(train, valid), model_config=with_dropout, train_config=decayed.train_config
    )
    assert one(both, "overfitting").suggestion == {"early-stopping": 5}


def test_no_overfitting_too_early_when_both_rise_or_when_early_stopping_restored_the_best():
    assert "overfitting" not in codes(fake_run(rows([1, 0.5, 0.4, 0.3], [1, 0.5, 0.6, 0.7])))
    rising_both = rows([1.0, 0.5, 0.6, 0.7, 0.8], [1.0, 0.5, 0.6, 0.7, 0.8])
    assert "overfitting" not in codes(fake_run(rising_both))
    early = fake_run(
        rows([1.0, 0.6, 0.4, 0.3, 0.2, 0.1], [1.0, 0.5, 0.6, 0.7, 0.8, 0.9]),
        status="early_stopped",
        stop_code="early_stopped",
        stop_params={"patience": 4, "epoch": 2, "loss": 0.5},
    )
    assert "overfitting" not in codes(early)


def test_flat_losses_near_guessing_are_underfitting_and_a_wider_network_tests_it(tabular):
    flat = [1.09, 1.08, 1.08, 1.08, 1.08, 1.08]
    run = fake_run(
        rows(flat, [1.1] * 6),
        dataset=tabular,
        model_config=toy_config(tabular, hidden=(4,)),
    )
    finding = one(run, "underfitting")
    assert set(finding.evidence) == {"train_loss", "valid_loss", "chance_loss", "window"}
    assert finding.evidence["chance_loss"] == pytest.approx(math.log(3), abs=1e-3)
    assert finding.suggestion == {"hidden": (16,)}
    # Without the data there is no guessing loss to judge against.
    assert "underfitting" not in codes(fake_run(rows(flat, [1.1] * 6)))


def test_a_slow_slide_hides_underfitting_behind_its_cause(tabular):
    slide = list(np.linspace(1.1, 1.098, 8))
    run = fake_run(rows(slide), dataset=tabular, model_config=toy_config(tabular))
    assert codes(run) == ["lr_too_low"]


def test_a_finished_run_whose_validation_still_falls_is_still_improving():
    run = fake_run(
        rows([0.34, 0.16], [0.19, 0.13]), status="finished", train_config=TrainConfig(epochs=2)
    )
    finding = one(run, "still_improving")
    assert finding.evidence == {"drop_pct": 31.6, "window": 1, "epoch": 2}
    assert finding.suggestion == {"epochs": 4} and not finding.is_problem
    assert ADVICE_CODES == {"still_improving", "robustness_gap"}


def test_a_paused_or_early_stopped_run_is_not_still_improving():
    falling = rows([0.5, 0.3, 0.2], [0.5, 0.3, 0.2])
    assert codes(fake_run(falling, status="running")) == []
    stopped = fake_run(falling, status="early_stopped", stop_code="early_stopped")
    assert codes(stopped) == []


# --------------------------------------------------------------- data and model
def test_a_class_missing_from_training_data_and_the_split_that_fixes_it():
    iris = data.load("iris", split="course")
    finding = one(fake_run(status="ready", dataset=iris), "class_missing")
    assert finding.evidence == {
        "missing": "virginica",
        "unseen": 50,
        "n_valid": 80,
        "best_accuracy": 0.375,
    }
    assert finding.suggestion == {"split": "recommended"}
    assert codes(fake_run(status="ready", dataset=data.load("iris"))) == []


def xor_net(dead: int) -> torch.nn.Module:
    """A 2-3-1 ReLU network whose first `dead` hidden units are negative on all four corners."""
    net = build_model(ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,)))
    with torch.no_grad():
        first = net[0]
        first.weight.copy_(torch.tensor([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]]))
        first.bias.zero_()
        first.weight[:dead] = -1.0
        first.bias[:dead] = -1.0
    return net


def xor_run(net, train_loss, **kw):
    xor = data.load("xor")
    return fake_run(
        rows(train_loss),
        dataset=xor,
        model=net,
        model_config=net.config,
        train_config=TrainConfig(lr=0.03, batch_size=4),
        **kw,
    )


def test_dead_relus_are_counted_on_the_training_inputs():
    stuck = [0.70, 0.69, 0.6932, 0.6931, 0.6932]
    finding = one(xor_run(xor_net(2), stuck), "dead_units")
    assert finding.evidence == {"dead": 2, "units": 3, "n_inputs": 4}
    assert finding.suggestion == {"activation": "leaky_relu"}
    # One dead unit of three matters while the network is stuck at 75% (loss 0.35)...
    assert "dead_units" in codes(xor_run(xor_net(1), [0.7, 0.5, 0.35, 0.348, 0.348]))
    # ... not once it has solved the task anyway.
    assert "dead_units" not in codes(xor_run(xor_net(1), [0.7, 0.3, 0.05, 0.01, 0.005]))
    assert "dead_units" not in codes(xor_run(xor_net(0), stuck))


def test_dead_units_need_the_model_the_data_and_a_relu():
    archived = xor_run(xor_net(2), [0.7, 0.69, 0.69])
    assert "dead_units" not in codes(SimpleNamespace(**{**vars(archived), "model": None}))
    tanh = build_model(ModelConfig(input_shape=(2,), n_outputs=1, task="binary", activation="tanh"))
    assert "dead_units" not in codes(xor_run(tanh, [0.7, 0.69, 0.69]))
    run = xor_run(xor_net(2), [0.7, 0.69, 0.69])
    assert "dead_units" not in codes(SimpleNamespace(**{**vars(run), "dataset": None}))
    assert "dead_units" in codes(
        SimpleNamespace(**{**vars(run), "dataset": None}), dataset=run.dataset
    )


def deep_sigmoid(tabular, loss="mse"):
    """Four sigmoid layers: the first layer's gradient is ~10,000x below the last's."""
    mc = toy_config(tabular, hidden=(64, 64, 64, 64), activation="sigmoid")
    torch.manual_seed(0)
    return build_model(mc), TrainConfig(optimizer="sgd", lr=0.1, loss=loss)


def test_vanishing_gradients_and_mse_on_softmax_while_a_deep_sigmoid_net_is_stuck(tabular):
    net, tc = deep_sigmoid(tabular)
    flat = [0.223, 0.2222, 0.2222, 0.2222, 0.2222]  # guessing costs 2/9 with MSE on 3 classes
    run = fake_run(rows(flat), dataset=tabular, model=net, model_config=net.config, train_config=tc)
    found = {f.code: f for f in diagnose(run)}
    assert list(found)[:2] == ["vanishing_gradients", "mse_on_softmax"]
    vanishing = found["vanishing_gradients"]
    assert set(vanishing.evidence) == {"first", "last", "factor"}
    assert vanishing.evidence["factor"] > 100 and vanishing.suggestion == {"activation": "relu"}
    assert found["mse_on_softmax"].evidence["factor"] == pytest.approx(4.9, abs=0.5)  # 3 classes
    assert found["mse_on_softmax"].suggestion == {"loss": "auto"}


def test_gradients_are_not_blamed_once_the_network_learns_or_without_a_model(tabular):
    net, tc = deep_sigmoid(tabular)
    learned = fake_run(
        rows([0.2222, 0.1, 0.05, 0.02]),
        dataset=tabular,
        model=net,
        model_config=net.config,
        train_config=tc,
    )
    assert {"vanishing_gradients", "mse_on_softmax"}.isdisjoint(codes(learned))
    archived = fake_run(
        rows([0.2222] * 5), dataset=tabular, model_config=net.config, train_config=tc
    )
    assert {"vanishing_gradients", "mse_on_softmax"}.isdisjoint(codes(archived))


def test_diagnose_never_changes_the_model_its_mode_gradients_or_the_random_numbers(tabular):
    mc = toy_config(
        tabular, hidden=(64, 64, 64, 64), activation="sigmoid", dropout=0.2, batchnorm=True
    )
    net = build_model(mc).train()
    net(torch.from_numpy(tabular.X_train[:8])).sum().backward()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    grads = [p.grad.clone() for p in net.parameters()]
    rng = torch.get_rng_state()
    tc = TrainConfig(optimizer="sgd", loss="mse")
    run = fake_run(rows([0.2222] * 5), dataset=tabular, model=net, model_config=mc, train_config=tc)
    assert "vanishing_gradients" in codes(run)
    assert net.training and all(m.training for m in net.modules())
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert all(torch.equal(g, p.grad) for g, p in zip(grads, net.parameters(), strict=True))
    assert torch.equal(rng, torch.get_rng_state())


def test_a_regression_run_that_loses_to_a_straight_line():
    boston = data.load("boston")
    mc = ModelConfig(input_shape=boston.input_shape, n_outputs=1, task="regression")
    history = rows(
        [500, 100, 60, 50, 45], [480, 110, 90, 85, 80], valid_rmse=[22, 10.5, 9.5, 9.2, 8.9]
    )
    run = fake_run(history, status="finished", dataset=boston, model_config=mc)
    finding = one(run, "worse_than_baseline")
    assert finding.evidence["rmse"] == 8.9
    assert finding.evidence["linear_rmse"] == pytest.approx(4.04, abs=0.01)
    assert finding.suggestion == {"epochs": 20}
    sgd = SimpleNamespace(**{**vars(run), "train_config": TrainConfig(optimizer="sgd", lr=0.01)})
    assert one(sgd, "worse_than_baseline").suggestion == {"optimizer": "adam", "lr": 0.003}
    # Still training and still improving: too early to compare.
    assert "worse_than_baseline" not in codes(
        SimpleNamespace(**{**vars(run), "status": "running", "done": False})
    )
    better = rows(
        [500, 100, 20, 10, 8], [480, 110, 30, 12, 7], valid_rmse=[22, 10.5, 5.4, 3.4, 2.6]
    )
    assert "worse_than_baseline" not in codes(
        fake_run(better, status="finished", dataset=boston, model_config=mc)
    )


# ------------------------------------------------------------ the UI's contract
def examples(tabular) -> dict[str, Finding]:
    """One finding of every code, from the constructions above."""
    boston = data.load("boston")
    net, tc = deep_sigmoid(tabular)
    runs = [
        fake_run(rows([1.0, math.nan])),
        fake_run(status="diverged", stop_code="diverged_at_start", stop_params={"value": math.inf}),
        fake_run(status="ready", dataset=data.load("iris", split="course")),
        xor_run(xor_net(2), [0.7, 0.69, 0.69]),
        fake_run(
            rows([0.2222] * 5), dataset=tabular, model=net, model_config=net.config, train_config=tc
        ),
        fake_run(rows([1.0, 0.6, 0.9, 0.5, 0.95, 0.55])),
        fake_run(rows(list(np.linspace(600, 598, 10)))),
        fake_run(rows([1.0, 0.6, 0.4, 0.3, 0.2, 0.1], [1.0, 0.5, 0.4, 0.5, 0.55, 0.6])),
        fake_run(
            rows([500, 60, 50], [480, 90, 80], valid_rmse=[22, 9.5, 8.9]),
            status="finished",
            dataset=boston,
            model_config=ModelConfig(input_shape=(13,), n_outputs=1, task="regression"),
        ),
        fake_run(
            rows([1.09] + [1.08] * 5, [1.1] * 6), dataset=tabular, model_config=toy_config(tabular)
        ),
        fake_run(rows([0.34, 0.16], [0.19, 0.13]), status="finished"),
    ]
    found = {}
    for run in runs:
        for f in diagnose(run):
            found.setdefault(f.code, f)
    found["robustness_gap"] = robustness_example()
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_has_its_three_texts_with_exactly_the_evidence_as_placeholders(tabular):
    found = examples(tabular)
    assert set(found) == set(FINDING_CODES)
    for lang in LANGUAGES:
        texts, tr = catalogue(lang), Translator(lang)
        for code, finding in found.items():
            for part in ("evidence", "why", "button"):
                assert texts.get(f"coach.{code}.{part}"), (lang, code, part)
            assert _fields(texts[f"coach.{code}.evidence"]) == set(finding.evidence), (lang, code)
            assert _fields(texts[f"coach.{code}.why"]) == set()
            assert _fields(texts[f"coach.{code}.button"]) <= {"changes"}
            tr(f"coach.{code}.evidence", **finding.evidence)  # formats with the real values
            changes = tr("coach.separator").join(
                tr(f"coach.setting.{k}", value=setting_text(k, v))
                for k, v in finding.suggestion.items()
            )
            tr(f"coach.{code}.button", changes=changes)
        for key in SUGGESTION_KEYS:
            assert _fields(texts[f"coach.setting.{key}"]) <= {"value"}, (lang, key)
        for key in ("heading", "none", "applies", "separator"):
            assert texts[f"coach.{key}"]


def test_suggestions_use_the_clis_own_flags_and_values(tabular):
    parser = build_parser()
    assert set(SUGGESTION_KEYS) <= set(FLAGS)
    for finding in examples(tabular).values():
        assert set(finding.suggestion) <= set(SUGGESTION_KEYS), finding
        command = command_of("xor", finding.suggestion)
        parser.parse_args(shlex.split(command)[3:])  # the words after `python -m models.train`
    assert setting_text("hidden", (500, 500)) == "500,500"
    assert setting_text("lr", 1e-05) == "1e-05" and setting_text("batchnorm", True) == "true"


def test_sequence_regression_runs_are_diagnosed_without_a_straight_line_baseline():
    import data
    from models import ModelConfig, TrainConfig, TrainingRun, diagnose

    ds = data.load("noisy_wave", seq_len=12, n_sequences=200)
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=1, task=ds.task, kind="gru", hidden=(8,))
    run = TrainingRun(ds, mc, TrainConfig(epochs=2, lr=0.01))
    run.advance(threads=1)
    codes = [f.code for f in diagnose(run, dataset=ds)]
    assert "worse_than_baseline" not in codes
