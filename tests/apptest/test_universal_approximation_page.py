"""AppTests for the universal-approximation lab: training runs, placed points, bad points."""

import pytest

from tests.apptest.concept_steps import page, sweep


def test_universal_approximation_trains_a_short_run():
    at = page("universal_approximation")
    assert sweep(at, "slider") >= 4
    assert sweep(at, "select_slider") >= 6
    at.button(key="ua_train").click().run()
    for _ in range(2):
        at.run()
    assert not at.exception
    assert "epoch" in at.get("progress")[0].proto.text
    state = at.session_state["lab_state::ua"]
    assert state.run is not None and state.run.step > 0
    losses = [row["train_loss"] for row in state.run.history.epochs]
    assert len(losses) >= 2 and losses[-1] < losses[0]
    at.button(key="ua_compare").click().run()
    assert not at.exception
    runs = at.session_state["ua_compare_state"]["runs"]
    assert sorted(runs) == [1, 2, 4, 8, 16, 32] and all(r.step > 0 for r in runs.values())


def test_universal_approximation_points_need_numbers():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    assert not at.exception and not at.error
    at.session_state["ua_points"] = {
        "edited_rows": {0: {"x": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "fill in or delete" in at.error[0].value


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"deleted_rows": [0, 1, 2, 3, 4, 5]}, "at least two points"),
        ({"deleted_rows": [0, 1, 2, 3, 4]}, "at least two points"),
        ({"edited_rows": {1: {"x": -1.8}}}, "share the same x"),
        ({"edited_rows": {1: {"y": 1e30}}}, "y between -100 and 100"),
        ({"added_rows": [{"x": 0.5}]}, "fill in or delete"),
    ],
)
def test_universal_approximation_bad_points_read_as_sentences(edit, message):
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edit,
    }
    at.run()
    assert not at.exception
    assert message in at.error[0].value
    assert "ua_train" not in [b.key for b in at.button]  # nothing to train on


def test_universal_approximation_trains_on_two_points():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [0, 1, 2, 3],
    }
    at.run()
    at.button(key="ua_train").click().run()
    for _ in range(2):
        at.run()
    assert not at.exception and not at.error
    run = at.session_state["lab_state::ua"].run
    assert len(run.dataset.X_train) == 2 and run.step > 0


def test_universal_approximation_huge_learning_rate_is_reported_not_raised():
    at = page("universal_approximation")
    at.select_slider(key="ua_lr").set_value(10.0).run()
    at.select_slider(key="ua_batch").set_value(256).run()
    at.button(key="ua_train").click().run()
    for _ in range(3):
        at.run()
    assert not at.exception
