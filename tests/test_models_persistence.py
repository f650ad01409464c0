"""models.save_model / load_model: round trips, metadata, and refusing bad or hostile files."""

import io

import numpy as np
import pytest
import torch

import data
import models
from models import ModelConfig, ModelFileError, TrainConfig
from tests.model_file_helpers import edited_description


def _cfg(ds, **kw) -> ModelConfig:
    return ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **kw)


@pytest.fixture(scope="module")
def iris():
    return data.load("iris")


@pytest.fixture(scope="module")
def trained(iris):
    tc = TrainConfig(lr=0.01, epochs=3, seed=1)
    run = models.train(iris, _cfg(iris, hidden=[16, 8], batchnorm=True, dropout=0.1), tc)
    return run, tc


def test_file_round_trip_keeps_predictions_config_and_metadata(tmp_path, iris, trained):
    run, tc = trained
    path = tmp_path / "iris.pth"
    models.save_model(
        run.model, path, train_config=tc, dataset=iris, history=run.history, extra={"lab": "iris"}
    )
    model, meta = models.load_model_file(path)
    assert not model.training  # ready to predict
    assert model.config == run.model.config
    assert np.array_equal(
        models.predict_proba(model, iris.X_valid), models.predict_proba(run.model, iris.X_valid)
    )
    assert all(
        torch.equal(v, run.model.state_dict()[k]) for k, v in model.state_dict().items()
    )  # incl. BN stats
    assert TrainConfig.from_dict(meta["train_config"]) == tc
    assert meta["extra"] == {"lab": "iris"}
    assert meta["dataset"]["name"] == "iris" and meta["dataset"]["split"] == "recommended"
    assert meta["dataset"]["feature_names"] == iris.feature_names
    assert meta["dataset"]["class_names"] == iris.class_names
    np.testing.assert_allclose(meta["dataset"]["feature_mean"], iris.feature_mean, rtol=1e-6)
    np.testing.assert_allclose(meta["dataset"]["feature_std"], iris.feature_std, rtol=1e-6)
    assert [r["epoch"] for r in meta["history"]["epochs"]] == [1, 2, 3]
    models.check_compatible(model, iris)  # no error


def test_bytes_round_trip(iris, trained):
    run, tc = trained
    blob = models.model_to_bytes(run.model, train_config=tc)
    assert isinstance(blob, bytes)
    model = models.load_model(blob)
    assert model.config.to_dict() == run.model.config.to_dict()
    assert np.array_equal(
        models.predict(model, iris.X_valid), models.predict(run.model, iris.X_valid)
    )
    assert np.array_equal(
        models.predict_proba(model, iris.X_valid), models.predict_proba(run.model, iris.X_valid)
    )
    # file objects work too
    model2, meta = models.load_model_file(io.BytesIO(blob))
    assert "dataset" not in meta and meta["train_config"]["seed"] == 1
    assert np.array_equal(
        models.predict_proba(model2, iris.X_valid), models.predict_proba(model, iris.X_valid)
    )


def test_mnist_cnn_round_trip():
    ds = data.load("mnist", n_train=32, n_valid=16)
    torch.manual_seed(0)
    model = models.build_model(_cfg(ds, kind="cnn", hidden=[8], conv_channels=[4, 8]))
    model.eval()
    loaded, meta = models.load_model_file(models.model_to_bytes(model, dataset=ds))
    assert meta["dataset"]["feature_mean"] is None and len(meta["dataset"]["feature_names"]) == 784
    assert np.array_equal(
        models.predict_proba(loaded, ds.X_valid), models.predict_proba(model, ds.X_valid)
    )


class _Hostile:
    """Unpickling this calls open(marker, "w"): it would create the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_hostile_pickle_is_refused_and_never_runs(tmp_path, trained):
    run, _ = trained
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    good = torch.load(io.BytesIO(models.model_to_bytes(run.model)), weights_only=True)
    torch.save(
        {"meta": good["meta"], "state_dict": good["state_dict"], "payload": _Hostile(marker)}, path
    )
    with pytest.raises(ModelFileError, match="could run code") as err:
        models.load_model(path)
    assert not marker.exists()
    assert "NN Lab" in str(err.value)
    with pytest.raises(ModelFileError):
        models.load_model(path.read_bytes())
    assert not marker.exists()
    # Prove the file really was armed: an unsafe load does run the payload.
    torch.load(path, weights_only=False)
    assert marker.exists()


def test_junk_is_refused(tmp_path):
    junk = tmp_path / "junk.pth"
    junk.write_bytes(b"this is not a model\n" * 10)
    with pytest.raises(ModelFileError, match="not a PyTorch model file"):
        models.load_model(junk)
    with pytest.raises(ModelFileError, match="empty"):
        models.load_model(b"")
    with pytest.raises(ModelFileError, match="no model file"):
        models.load_model(tmp_path / "missing.pth")


def test_a_plain_state_dict_is_refused(tmp_path, trained):
    run, _ = trained
    path = tmp_path / "plain.pth"
    torch.save(run.model.state_dict(), path)  # the slides' way: weights only, no architecture
    with pytest.raises(ModelFileError, match="not an NN Lab model") as err:
        models.load_model(path)
    assert "architecture" in str(err.value)


_edited = edited_description


def test_weights_for_another_architecture_are_refused(trained):
    run, _ = trained
    blob = models.model_to_bytes(run.model)
    wrong = _edited(blob, lambda m: m["model_config"].update(hidden=[32, 8]))
    with pytest.raises(ModelFileError, match="do not fit the architecture"):
        models.load_model(wrong)
    fewer = _edited(blob, lambda m: m["model_config"].update(hidden=[16]))
    with pytest.raises(ModelFileError, match="do not fit"):
        models.load_model(fewer)


def test_architecture_mismatch_message_gives_the_detail(trained):
    # Regression test: "Details:" used to be only the first line of torch's error, the bare
    # "Error(s) in loading state_dict for Network:"; the useful part is on the next lines.
    run, _ = trained
    wrong = _edited(
        models.model_to_bytes(run.model), lambda m: m["model_config"].update(hidden=[32, 8])
    )
    with pytest.raises(ModelFileError) as err:
        models.load_model(wrong)
    message = str(err.value)
    assert "\n" not in message and not message.rstrip().endswith(":")
    # Names and shapes only, so the zh-TW sentence carries no English from torch.
    detail = err.value.params["detail"]
    assert "≠" in detail and "size mismatch" not in detail and detail in message


def test_missing_and_extra_tensors_are_named_with_their_sign(trained):
    run, _ = trained
    payload = torch.load(io.BytesIO(models.model_to_bytes(run.model)), weights_only=True)
    last_bias = [name for name in payload["state_dict"] if name.endswith(".bias")][-1]
    payload["state_dict"]["9.weight"] = payload["state_dict"].pop(last_bias)
    buf = io.BytesIO()
    torch.save(payload, buf)
    with pytest.raises(ModelFileError) as err:
        models.load_model(buf.getvalue())
    assert err.value.code == "model_file_weights_mismatch"
    assert err.value.params["detail"] == f"−{last_bias}; +9.weight"


def test_damaged_or_foreign_descriptions_are_refused(trained):
    run, _ = trained
    blob = models.model_to_bytes(run.model)
    with pytest.raises(ModelFileError, match="not written by NN Lab"):
        models.load_model(_edited(blob, lambda m: m.update(format="keras")))
    with pytest.raises(ModelFileError, match="damaged"):
        models.load_model(_edited(blob, lambda m: m.pop("model_config")))
    with pytest.raises(ModelFileError, match="can't be built"):
        models.load_model(_edited(blob, lambda m: m["model_config"].update(activation="swish")))


def test_check_compatible_rejects_a_model_for_another_dataset(iris, trained):
    run, _ = trained
    boston = data.load("boston")
    with pytest.raises(ModelFileError, match="different lab"):
        models.check_compatible(run.model, boston)
    two_features = data.load("iris", features=["petal length (cm)", "petal width (cm)"])
    with pytest.raises(ModelFileError, match=r"shape \(4,\)"):
        models.check_compatible(run.model, two_features)
    # same input width but another task: a 4-feature regression model on Iris
    regressor = models.build_model(ModelConfig((4,), 1, "regression", hidden=[4]))
    with pytest.raises(ModelFileError, match="regression task"):
        models.check_compatible(regressor, iris)
