"""The per-epoch table's numbers: speeds whole, times in milliseconds, metrics untouched."""

from ui.training_view import per_epoch_frame


def test_speeds_are_whole_and_times_in_milliseconds():
    rows = [
        {
            "epoch": 1,
            "train_loss": 0.123456,
            "seconds": 0.123456,
            "eval_seconds": 0.01,
            "samples_per_sec": 5237.5765,
        },
    ]
    df = per_epoch_frame(rows)
    assert list(df.columns) == ["epoch", "train_loss", "ms", "samples_per_sec"]
    assert df["samples_per_sec"].tolist() == [5238] and df["ms"].tolist() == [123.5]
    assert df["train_loss"].tolist() == [0.123456]


def test_a_history_without_speeds_is_shown_as_it_is():
    assert per_epoch_frame([{"epoch": 1, "valid_loss": 0.5}])["valid_loss"].tolist() == [0.5]


def test_rows_without_a_speed_among_rows_with_one_do_not_break_the_table():
    # An uploaded file's history (not checked) followed by "Train more" rows.
    df = per_epoch_frame([{"epoch": 1, "seconds": 0.5}, {"epoch": 2, "samples_per_sec": 99.6}])
    assert (
        df["samples_per_sec"].isna().tolist() == [True, False] and df["samples_per_sec"][1] == 100
    )
