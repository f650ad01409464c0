"""ui.paced_views: while a run trains, the lab's views draw from a model copy refreshed every 2 s."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import data
from models import ModelConfig, RunGroup, TrainConfig, TrainingRun, predict_proba
from tests.trainer_helpers import same_state
from ui.figures.classification import decision_boundary_figure
from ui.live_run import BorrowedRun
from ui.paced_views import VIEWS_REFRESH_SECONDS, ViewsModel, paced_figure, paced_run


@pytest.fixture
def xor_run() -> TrainingRun:
    ds = data.load("xor")
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=(4,))
    return TrainingRun(ds, mc, TrainConfig(lr=0.05, batch_size=4, epochs=400, seed=0))


def _boundary_json(run) -> str:
    """The XOR lab's decision-boundary figure for `run`'s model, as the browser receives it."""
    xs = ys = np.linspace(-0.5, 1.5, 30)
    grid = np.array([[x, y] for y in ys for x in xs], dtype=np.float32)
    prob = predict_proba(run.model, grid)[:, 1].reshape(len(ys), len(xs))
    ds = run.dataset
    return decision_boundary_figure(xs, ys, prob, ds.X_train, ds.y_train).to_json()


def test_views_see_one_copy_until_the_refresh_is_due(xor_run):
    memo = ViewsModel()
    xor_run.advance(max_steps=20)
    first = paced_run(BorrowedRun(xor_run), memo, generation=1, now=100.0)
    assert first.model is not xor_run.model  # a copy: drawing never touches the training model
    assert same_state(first.model.state_dict(), xor_run.model.state_dict())
    before = _boundary_json(first)

    xor_run.advance(max_steps=200)
    soon = paced_run(
        BorrowedRun(xor_run), memo, generation=1, now=100.0 + VIEWS_REFRESH_SECONDS / 2
    )
    assert soon.model is first.model
    # The same copy gives the same figure, byte for byte: the browser re-plots nothing.
    assert _boundary_json(soon) == before
    # Everything but the model is the run's own, live.
    assert soon.step == xor_run.step == 220
    assert soon.history is xor_run.history

    due = paced_run(BorrowedRun(xor_run), memo, generation=1, now=100.0 + VIEWS_REFRESH_SECONDS)
    assert due.model is not first.model
    assert same_state(due.model.state_dict(), xor_run.model.state_dict())
    assert _boundary_json(due) != before


def test_a_new_run_or_a_page_draw_takes_a_fresh_copy(xor_run):
    memo = ViewsModel()
    old = paced_run(BorrowedRun(xor_run), memo, generation=1, now=5.0).model
    xor_run.advance(max_steps=50)
    new_run = paced_run(BorrowedRun(xor_run), memo, generation=2, now=5.1).model
    assert new_run is not old and same_state(new_run.state_dict(), xor_run.model.state_dict())
    xor_run.advance(max_steps=50)
    clicked = paced_run(BorrowedRun(xor_run), memo, generation=2, refresh=True, now=5.2).model
    assert clicked is not new_run and same_state(clicked.state_dict(), xor_run.model.state_dict())


def test_the_copy_predicts_without_gradients_or_training_mode(xor_run):
    view = paced_run(BorrowedRun(xor_run), ViewsModel(), generation=1)
    assert not view.model.training and xor_run.model.training
    assert not any(p.requires_grad for p in view.model.parameters())
    with torch.no_grad():
        assert view.model(torch.zeros(1, 2)).shape == xor_run.model(torch.zeros(1, 2)).shape


def test_a_run_group_has_no_single_model_and_is_drawn_as_it_is(xor_run):
    group = RunGroup({4: xor_run})
    view = BorrowedRun(group)
    assert paced_run(view, ViewsModel(), generation=1) is view


def test_a_paced_view_stops_working_with_its_borrow(xor_run):
    borrowed = BorrowedRun(xor_run)
    view = paced_run(borrowed, ViewsModel(), generation=1)
    borrowed._close()
    with pytest.raises(RuntimeError, match="after its with-block"):
        _ = view.step


def test_a_figure_is_built_once_per_copy_and_key(xor_run):
    memo, built = ViewsModel(), []

    def build(tag):
        built.append(tag)
        return object()

    first = paced_run(BorrowedRun(xor_run), memo, generation=1, now=10.0)
    a = paced_figure(first, "boundary", lambda: build("a"))
    assert paced_figure(first, "boundary", lambda: build("again")) is a
    soon = paced_run(BorrowedRun(xor_run), memo, generation=1, now=10.5)
    assert paced_figure(soon, "boundary", lambda: build("again")) is a  # same copy, next redraw
    b = paced_figure(soon, ("scatter", "x1", "x2"), lambda: build("b"))
    assert paced_figure(soon, ("scatter", "x1", "x3"), lambda: build("c")) is not b
    assert built == ["a", "b", "c"]
    due = paced_run(BorrowedRun(xor_run), memo, generation=1, now=10.0 + VIEWS_REFRESH_SECONDS)
    assert paced_figure(due, "boundary", lambda: build("d")) is not a  # a new copy: built anew
    clicked = paced_run(BorrowedRun(xor_run), memo, generation=1, refresh=True, now=12.1)
    paced_figure(clicked, "boundary", lambda: build("e"))
    assert built == ["a", "b", "c", "d", "e"]


def test_a_run_that_is_not_paced_is_drawn_afresh(xor_run):
    borrowed, built = BorrowedRun(xor_run), []
    for _ in range(2):
        paced_figure(borrowed, "boundary", lambda: built.append(1))
    assert built == [1, 1]
