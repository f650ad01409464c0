"""`python -m models.export`: where it writes, and that it never overwrites a file silently.

The script's content is tested in tests/test_export_script.py; here only --out and --force.
"""

from __future__ import annotations

import pytest

import data
from models import ModelConfig, TrainConfig, build_model, save_model
from models.export import export_model_file, main


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    ds = data.load("iris")
    cfg = ModelConfig(ds.input_shape, ds.n_outputs, ds.task, hidden=(4,))
    path = tmp_path_factory.mktemp("model") / "m.pth"
    save_model(build_model(cfg), path, train_config=TrainConfig(epochs=2), dataset=ds)
    return path


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_the_default_out_is_run_py_and_an_existing_one_is_kept(
    model_file, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main([str(model_file)]) == 0  # no --out: ./run.py, as --help says
    assert (tmp_path / "run.py").read_text(encoding="utf-8") == export_model_file(model_file)
    capsys.readouterr()
    (tmp_path / "run.py").write_text("# my edits\n", encoding="utf-8")
    assert main([str(model_file)]) == 2
    err = _one_error_line(capsys)
    assert "run.py" in err and "--force" in err and "--out" in err
    assert main([str(model_file), "--out", "run.py"]) == 2  # README's command, second time
    assert (tmp_path / "run.py").read_text(encoding="utf-8") == "# my edits\n"
    assert main([str(model_file), "--out", "run.py", "--force"]) == 0
    assert "class Net(nn.Module)" in (tmp_path / "run.py").read_text(encoding="utf-8")


def test_help_names_the_default_and_force(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "default: run.py" in out and "--force" in out


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_an_out_that_cannot_be_written_is_one_error_line(model_file, tmp_path, capsys, where):
    out = tmp_path / "nonexistent" / "run.py" if where == "missing-folder" else tmp_path
    assert main([str(model_file), "--out", str(out)]) == 2
    err = _one_error_line(capsys)
    assert str(out) in err
    assert ("does not exist" if where == "missing-folder" else "is a folder") in err
