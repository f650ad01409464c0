"""`python -m data` prints one line per dataset."""

from __future__ import annotations

from data.__main__ import main


def test_cli_prints_one_line_per_dataset(capsys):
    assert main(["xor", "iris", "boston", "--split", "course"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("iris") and "multiclass" in lines[1] and "X(70, 4)" in lines[1]
    assert "setosa,versicolor,virginica" in lines[1] and lines[1].endswith("ms")
    assert "regression" in lines[2] and "valid X(106, 13)" in lines[2]


def test_cli_reports_failure(capsys):
    assert main(["cifar"]) == 1
    assert "FAILED: Unknown dataset 'cifar'" in capsys.readouterr().out
