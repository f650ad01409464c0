"""Kept runs (models/run_record.py), the per-lab book (ui/compare/book.py) and their chart and table."""

from __future__ import annotations

import dataclasses

import pytest

import data
from models import TrainConfig, TrainingRun, load_model_file, model_to_bytes
from models.flags import FLAGS
from models.run_record import (
    MAX_KEPT,
    RunRecord,
    baseline_of,
    comparison_rows,
    keep_last,
    record_of,
)
from tests.trainer_helpers import model_config
from ui.coach.words import changes_text
from ui.compare.book import MAX_ON_CHART, CompareBook
from ui.compare.table import change_text, comparison_frame
from ui.figures.compare import (
    RUN_COLOURS,
    Curves,
    compare_loss_figure,
    compare_metric_figure,
    run_colours,
)
from ui.i18n import Translator


@pytest.fixture(scope="module")
def xor():
    return data.load("xor")


@pytest.fixture(scope="module")
def two_runs(xor):
    """A baseline and the same run with only lr changed, both trained (6 epochs)."""
    mc = model_config(xor, hidden=(4,), activation="tanh")
    tc = TrainConfig(optimizer="sgd", lr=0.01, batch_size=4, epochs=6, seed=2)
    base = TrainingRun(xor, mc, tc).advance()
    fast = TrainingRun(xor, mc, dataclasses.replace(tc, lr=0.1)).advance()
    return base, fast


def _record(number: int, pinned: bool = False, **kw) -> RunRecord:
    """A hand-made record: a few rows of a classification run."""
    rows = kw.pop(
        "epochs",
        (
            {"epoch": 1, "valid_loss": 0.6, "valid_accuracy": 0.5},
            {"epoch": 2, "valid_loss": 0.4, "valid_accuracy": 0.75},
            {"epoch": 3, "valid_loss": 0.5, "valid_accuracy": 0.75},
        ),
    )
    fields = dict(
        number=number,
        label=f"Run {number}",
        task="binary",
        settings={"lr": 0.01, "seed": 0},
        epochs=rows,
        seed=0,
        seconds=1.0,
        status="finished",
    )
    fields.update(kw)
    return RunRecord(**fields, pinned=pinned, model_bytes=b"w" if pinned else None)


# ------------------------------------------------------------------ records
def test_record_of_a_run_keeps_settings_history_results_and_no_model(two_runs):
    base, _ = two_runs
    record = record_of(base, 3)
    assert record.label == "Run 3" and record.number == 3
    assert record.settings["lr"] == 0.01 and record.settings["hidden"] == (4,)
    assert record.settings["activation"] == "tanh" and record.seed == 2
    assert list(record.epochs) == base.history.epochs and len(record.epochs) == 6
    assert record.final == base.history.epochs[-1]
    assert record.status == "finished" and record.step == base.step
    assert record.seconds == pytest.approx(base.train_seconds)
    assert record.model_bytes is None and not record.pinned
    # No tensor, module or optimizer is kept: only plain values.
    for value in dataclasses.asdict(record).values():
        assert type(value).__module__ in ("builtins",), type(value)


def test_best_values_and_their_epochs():
    record = _record(1)
    assert record.best_loss == (0.4, 2)
    assert record.best_metric == (0.75, 2)  # the earliest epoch wins a tie
    regression = _record(
        2,
        task="regression",
        epochs=(
            {"epoch": 1, "valid_loss": 9.0, "valid_rmse": 3.0},
            {"epoch": 2, "valid_rmse": 2.0},
        ),
    )
    assert regression.best_metric == (2.0, 2)
    assert _record(3, epochs=()).best_loss == (None, 0) and _record(3, epochs=()).final is None


def test_pinning_keeps_weights_and_unpinning_drops_them():
    record = _record(1)
    pinned = record.with_pin(True, b"bytes")
    assert pinned.pinned and pinned.model_bytes == b"bytes"
    assert pinned.with_pin(False).model_bytes is None


def test_record_of_an_unpinned_run_refuses_weights(two_runs):
    assert record_of(two_runs[0], 1, model_bytes=b"x").model_bytes is None


def test_a_pinned_record_s_weights_are_a_model_file_that_loads(two_runs):
    base, _ = two_runs
    data_bytes = model_to_bytes(base.model, train_config=base.train_config, dataset=base.dataset)
    record = record_of(base, 1, pinned=True, model_bytes=data_bytes)
    model, meta = load_model_file(record.model_bytes)
    assert model.config == base.model_config
    assert meta["train_config"]["lr"] == 0.01


# --------------------------------------------------------------- comparison
def test_comparison_shows_only_lr_and_same_seed(two_runs):
    base, fast = two_runs
    records = [record_of(base, 1), record_of(fast, 2)]
    rows = comparison_rows(records)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].is_baseline and rows[0].changes == ()
    assert rows[1].changes == (("lr", 0.01, 0.1),)
    assert change_text(rows[1].changes) == "Learning rate 0.01 → 0.1"
    assert rows[1].same_seed and rows[1].seed == 2
    assert rows[1].epochs == 6 and rows[1].final_loss == fast.history.epochs[-1]["valid_loss"]


def test_the_pinned_run_is_the_baseline_and_a_changed_seed_shows(two_runs):
    base, fast = two_runs
    reseeded = dataclasses.replace(
        record_of(fast, 3), seed=9, settings={**record_of(fast, 3).settings, "seed": 9}
    )
    records = [record_of(fast, 2), record_of(base, 1).with_pin(True, b"w"), reseeded]
    assert baseline_of(records).number == 1
    rows = comparison_rows(records)
    assert [r.number for r in rows] == [1, 2, 3]
    assert dict((n, (b, a)) for n, b, a in rows[2].changes) == {"lr": (0.01, 0.1), "seed": (2, 9)}
    assert not rows[2].same_seed and rows[1].same_seed
    assert comparison_rows([]) == []


def test_keep_last_drops_the_oldest_unpinned_first():
    records = [_record(n, pinned=n == 1) for n in range(1, 12)]
    kept = keep_last(records)
    assert len(kept) == MAX_KEPT == 10
    assert [r.number for r in kept] == [1, *range(3, 12)]  # run 1 is pinned, run 2 goes


# --------------------------------------------------------------------- book
def _maker(number_seen: list[int]):
    def make(number: int, pinned: bool, old_bytes: bytes | None) -> RunRecord:
        number_seen.append(number)
        return _record(number, pinned=pinned)

    return make


def test_the_book_updates_the_current_run_instead_of_adding_one():
    book = CompareBook()
    seen: list[int] = []
    book.upsert(1, _maker(seen))
    book.upsert(1, _maker(seen))
    assert [r.number for r in book.records] == [1] and seen == [1, 1]
    book.detach_current()
    assert book.current is None and book.shown == [1]  # nothing pinned: the replaced run shows
    book.upsert(2, _maker(seen))
    assert [r.number for r in book.records] == [1, 2] and book.current.number == 2
    book.detach_current()
    assert book.shown == [2]  # the auto-shown run moves on, like the old dotted line


def test_the_book_keeps_ten_runs_and_a_pinned_baseline_stays_shown():
    book = CompareBook()
    for generation in range(1, 13):
        book.upsert(generation, _maker([]))
        if generation == 1:
            book.replace(book.current.with_pin(True, b"w"))
        book.detach_current()
    assert len(book.records) == MAX_KEPT
    assert book.records[0].number == 1 and book.records[0].pinned
    assert [r.number for r in book.records[1:]] == list(range(4, 13))
    assert book.shown == [1]  # pinned runs stay; with a pin, replaced runs are not auto-shown
    assert all(r.model_bytes is None for r in book.records if not r.pinned)


def test_the_chart_holds_at_most_five_runs():
    book = CompareBook()
    for n in range(1, 8):
        book.upsert(n, _maker([]))
        book.detach_current()
    book.set_shown([1, 2, 3, 4, 5, 6])
    assert book.shown == [1, 2, 3, 4] and len(book.shown) == MAX_ON_CHART - 1
    book.show(7)
    assert book.shown == [2, 3, 4, 7]


# ------------------------------------------------------------ chart and table
def test_each_run_has_its_own_colour_training_solid_validation_dashed():
    rows = [{"epoch": 1, "train_loss": 1.0, "valid_loss": 1.1, "train_accuracy": 0.5}]
    colours = run_colours([1, 8, 3])
    assert colours[1] == RUN_COLOURS[0] and colours[3] == RUN_COLOURS[2]
    assert len(set(colours.values())) == 3  # run 8 would share run 1's colour: it moves on
    runs = [Curves("Run 1", colours[1], rows), Curves("Run 3 (now)", colours[3], rows, True)]
    fig = compare_loss_figure(runs)
    names = [t.name for t in fig.data]
    assert names == [
        "Run 1 · training",
        "Run 1 · validation",
        "Run 3 (now) · training",
        "Run 3 (now) · validation",
    ]
    assert [t.line.dash for t in fig.data] == [None, "dash", None, "dash"]
    assert [t.line.color for t in fig.data] == [colours[1]] * 2 + [colours[3]] * 2
    assert fig.data[2].line.width > fig.data[0].line.width  # the current run stands out
    regression = compare_metric_figure(runs, "regression")
    assert [t.name for t in regression.data] == ["Run 1 · validation", "Run 3 (now) · validation"]


def test_changes_are_worded_in_the_students_language():
    zh = Translator("zh-TW")
    changes = (("activation", "relu", "sigmoid"), ("batchnorm", False, True), ("lr", 0.03, 0.1))
    assert (
        change_text(changes, zh) == "激活函數 ReLU → Sigmoid、BatchNorm 關 → 開、學習率 0.03 → 0.1"
    )
    assert (
        change_text(changes)
        == "Activation ReLU → Sigmoid, BatchNorm off → on, Learning rate 0.03 → 0.1"
    )
    assert change_text((("no-such-flag", 1, 2),), zh) == "no-such-flag 1 → 2"
    # Choices read as the sidebar shows them, not as the CLI spells them.
    choices = (
        ("optimizer", "adam", "momentum"),
        ("init", "default", "he"),
        ("model", "mlp", "cnn"),
    )
    assert change_text(choices, zh) == (
        f"優化器 Adam → SGD + Momentum、權重初始化 {zh('common.inits.default')} → "
        f"{zh('common.inits.he')}、模型種類 MLP → CNN"
    )


def test_a_recurrent_networks_hidden_setting_is_named_as_its_sidebar_names_it():
    # The RNN lab's slider is "Hidden state size", not the other labs' "Hidden layer sizes".
    zh, changes = Translator("zh-TW"), (("hidden", (32,), (64,)),)
    assert change_text(changes, zh, recurrent=True) == "隱藏狀態大小 32 → 64"
    assert change_text(changes, recurrent=True) == "Hidden state size 32 → 64"
    assert change_text(changes, zh) == "各隱藏層神經元數 32 → 64"
    assert changes_text({"hidden": (64,)}, zh, recurrent=True) == "隱藏狀態大小 64"
    assert changes_text({"hidden": (64,)}, zh) == "各隱藏層神經元數 64"


def test_a_recurrent_layer_count_is_a_layer_count_not_a_list_of_sizes():
    # The sidebar sets the state size and the layer count apart; "32 → 32,32" named neither.
    zh = Translator("zh-TW")
    deeper = (("hidden", (32,), (32, 32)),)
    assert change_text(deeper, recurrent=True) == "Recurrent layers 1 → 2"
    assert change_text(deeper, zh, recurrent=True) == "循環層數 1 → 2"
    both = (("lr", 0.01, 0.1), ("hidden", [32, 32], [64]))
    assert change_text(both, recurrent=True) == (
        "Learning rate 0.01 → 0.1, Hidden state size 32 → 64, Recurrent layers 2 → 1"
    )
    assert changes_text({"hidden": (64, 64)}, zh, recurrent=True) == "隱藏狀態大小 64"
    # A side without the setting, or sizes that differ by layer (not the lab's), keep the change.
    kept = (("hidden", None, (32,)), ("hidden", (32, 64), (32, 32)))
    assert change_text(kept, recurrent=True) == (
        "Hidden layer sizes None → 32, Hidden layer sizes 32,64 → 32,32"
    )
    assert change_text((("hidden", 32, [32, 32]),), recurrent=True) == "Recurrent layers 1 → 2"


def test_every_setting_has_a_name_in_both_languages():
    for lang in ("en", "zh-TW"):
        tr = Translator(lang)
        for name in FLAGS:
            assert tr(f"compare.setting_names.{name}") != f"compare.setting_names.{name}", (
                lang,
                name,
            )


def test_the_table_in_both_languages(two_runs):
    base, fast = two_runs
    rows = comparison_rows([record_of(base, 1), record_of(fast, 2)])
    en = comparison_frame(rows, "binary", Translator("en"), current=2)
    assert list(en["Settings that differ"]) == ["baseline", "Learning rate 0.01 → 0.1"]
    assert list(en["Run"]) == ["Run 1", "Run 2 (now)"]
    assert list(en["Random seed"]) == ["2 (same)", "2 (same)"]
    zh = Translator("zh-TW")
    frame = comparison_frame(rows, "binary", zh, current=2, training=True)
    assert list(frame.columns) == list(comparison_frame(rows, "binary", zh, current=2).columns)
    assert frame[zh("compare.columns.run")][0] == zh("compare.run", n=1)
    assert frame[zh("compare.columns.final_loss")][1] == "—"  # training: no stale numbers
    assert frame[zh("compare.columns.status")][1] == zh("common.status.training")
