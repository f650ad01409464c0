"""Uploading a model file back into a lab: the round trip, and a clear refusal for the wrong file."""

import pytest

import data
from lessons.registry import lab
from models import (
    ModelConfig,
    ModelFileError,
    TrainConfig,
    TrainingRun,
    model_to_bytes,
    predict_proba,
)
from ui.live_run import LiveRun
from ui.model_file_settings import data_settings, rebuildable
from ui.model_files import MAX_MODEL_BYTES, MAX_MODEL_MB, adopt_uploaded
from ui.state import LabSession


def _trained(lab: str, epochs: int = 3):
    ds = data.load(lab)
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=[5])
    run = TrainingRun(ds, mc, TrainConfig(epochs=epochs, lr=1e-2, seed=0))
    run.advance()
    return ds, run


def test_a_downloaded_model_comes_back_as_a_finished_run_with_its_history():
    ds, run = _trained("xor")
    blob = model_to_bytes(run.model, train_config=run.train_config, dataset=ds, history=run.history)
    session = LabSession(LiveRun("xor"))
    msg = adopt_uploaded(session, ds, blob, TrainConfig())
    assert msg == "Loaded a model: MLP, hidden layer sizes 5, ReLU."
    assert session.uploaded and not session.live.running
    with session.live.borrow() as loaded:
        assert loaded.status == "finished" and loaded.epoch == 3
        assert loaded.history.epochs == run.history.epochs
        assert loaded.train_config.epochs == 3  # "Train more" continues from the file's epochs
        assert (
            predict_proba(loaded.model, ds.X_valid) == predict_proba(run.model, ds.X_valid)
        ).all()


def test_a_model_for_another_lab_is_refused_and_the_current_run_stays():
    iris, iris_run = _trained("iris", epochs=1)
    xor, xor_run = _trained("xor", epochs=1)
    session = LabSession(LiveRun("xor"))
    session.live.start(xor_run, running=False)
    blob = model_to_bytes(
        iris_run.model, train_config=iris_run.train_config, dataset=iris, history=iris_run.history
    )
    with pytest.raises(ModelFileError) as err:
        adopt_uploaded(session, xor, blob, TrainConfig())
    assert str(err.value) == (
        "This model expects inputs of shape (4,), but this lab's data has shape (2,). "
        "It was trained for a different lab or feature set."
    )
    with session.live.borrow() as kept:
        assert kept.model is xor_run.model and not session.uploaded


@pytest.mark.parametrize(
    "blob, says",
    [
        (b"", "This file is empty (0 bytes)"),
        (b"not a model at all", "This is not a PyTorch model file"),
        (b"PK\x03\x04" + b"\0" * 100, "This file is cut short"),  # a download that stopped
    ],
)
def test_a_file_that_is_not_a_model_gets_a_sentence(blob, says):
    ds = data.load("xor")
    with pytest.raises(ModelFileError) as err:
        adopt_uploaded(LabSession(LiveRun("xor")), ds, blob, TrainConfig())
    assert str(err.value).startswith(says)


def test_a_huge_file_is_refused_before_it_is_read():
    with pytest.raises(ModelFileError, match=f"at most {MAX_MODEL_MB} MB"):
        adopt_uploaded(
            LabSession(LiveRun("xor")), None, b"\0" * (MAX_MODEL_BYTES + 1), TrainConfig()
        )


def test_a_files_data_options_become_the_labs_data_settings_with_the_loaders_defaults():
    xor, boston, rnn = lab("xor"), lab("boston"), lab("rnn")
    assert data_settings(xor, "xor", None, {}, ["x1", "x2"]) == {"n-per-corner": 0}
    cloud = data_settings(xor, "xor", None, {"n_per_corner": 25, "noise": 0.15}, ["x1", "x2"])
    assert cloud == {"n-per-corner": 25, "noise": 0.15}
    names = ["CRIM", "RM"]
    assert data_settings(boston, "boston", "course", {"n_train": None}, names) == {
        "split": "course",
        "features": ("CRIM", "RM"),
        "n-train": 400,  # the whole training split: the slider's last notch
    }
    wave = data_settings(rnn, "noisy_wave", "recommended", {"seq_len": 10}, ["x"])
    assert wave == {"dataset": "noisy_wave", "seq-len": 10, "n-sequences": 2000, "noise": 0.1}


def test_only_a_course_dataset_of_the_lab_itself_is_rebuilt():
    iris_file = {"name": "iris", "options": {"features": ["petal width (cm)"]}}
    assert rebuildable(lab("iris"), iris_file)
    assert not rebuildable(lab("xor"), iris_file)  # another lab's data: checked against this one's
    table = {"name": "fruits.csv", "options": {"file": "fruits.csv", "target": "fruit"}}
    assert not rebuildable(lab("your_data"), table)
    assert not rebuildable(lab("iris"), None)  # a file saved without its data's description


def test_a_loaded_recurrent_model_is_named_as_the_rnn_labs_sidebar_names_it():
    from models import ModelConfig
    from ui.model_files import architecture_text, loaded_message

    lstm = ModelConfig((30, 1), 2, "binary", kind="lstm", hidden=[32, 32])
    # Two layers of 32 are a state size and a layer count, as the sidebar sets them: not "32-32".
    assert loaded_message(lstm) == "Loaded a model: LSTM, hidden state size 32, recurrent layers 2."
    # The upload's help and a state_dict's message name it the same way, not "30-32-32-2 ReLU".
    assert architecture_text(lstm) == "LSTM, hidden state size 32, recurrent layers 2"
