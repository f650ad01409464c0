"""models.predict / predict_proba: shapes, probabilities, single examples, uint8 images, mode."""

import numpy as np
import pytest
import torch

import data
import models
from models import ModelConfig, TrainConfig


def _cfg(ds, **kw) -> ModelConfig:
    return ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **kw)


@pytest.fixture(scope="module")
def iris_run():
    ds = data.load("iris")
    return ds, models.train(
        ds, _cfg(ds, hidden=[16], batchnorm=True), TrainConfig(lr=0.01, epochs=3)
    )


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist", n_train=64, n_valid=32)


def test_multiclass_probabilities_sum_to_one(iris_run):
    ds, run = iris_run
    proba = models.predict_proba(run.model, ds.X_valid)
    assert proba.shape == (len(ds.X_valid), 3) and proba.dtype == np.float32
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert (proba >= 0).all() and (proba <= 1).all()
    assert np.array_equal(models.predict(run.model, ds.X_valid), proba.argmax(axis=1))


def test_binary_gives_two_columns():
    ds = data.load("xor")
    torch.manual_seed(0)
    model = models.build_model(_cfg(ds, hidden=[4]))
    proba = models.predict_proba(model, ds.X_valid)
    assert proba.shape == (4, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    with torch.no_grad():
        p1 = torch.sigmoid(model(torch.from_numpy(ds.X_valid))[:, 0]).numpy()
    np.testing.assert_allclose(proba[:, 1], p1, rtol=1e-6)
    assert np.array_equal(models.predict(model, ds.X_valid), (p1 > 0.5).astype(np.int64))


def test_a_single_unbatched_example_works(iris_run):
    ds, run = iris_run
    batch = models.predict_proba(run.model, ds.X_valid[:5])
    one = models.predict_proba(run.model, ds.X_valid[2])
    assert one.shape == (1, 3)
    np.testing.assert_allclose(one[0], batch[2], rtol=1e-5, atol=1e-7)
    assert models.predict(run.model, ds.X_valid[2]).shape == (1,)


def test_uint8_images_are_scaled_like_training(mnist):
    torch.manual_seed(0)
    model = models.build_model(_cfg(mnist, hidden=[16]))
    images = mnist.X_valid
    assert images.dtype == np.uint8
    from_uint8 = models.predict_proba(model, images)
    from_float = models.predict_proba(model, images.astype(np.float32) / 255.0)
    assert from_uint8.shape == (32, 10)
    np.testing.assert_allclose(from_uint8, from_float, rtol=1e-5, atol=1e-7)
    one = models.predict_proba(model, images[0])  # a single 28x28 drawing
    assert one.shape == (1, 10)
    np.testing.assert_allclose(one[0], from_uint8[0], rtol=1e-5, atol=1e-7)


def test_cnn_predicts_on_uint8_images(mnist):
    torch.manual_seed(0)
    model = models.build_model(_cfg(mnist, kind="cnn", hidden=[16], batchnorm=True))
    proba = models.predict_proba(model, mnist.X_valid)
    assert proba.shape == (32, 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_the_model_mode_is_restored_and_eval_mode_is_used(iris_run, mode):
    ds, run = iris_run
    model = run.model
    model.train(mode == "train")
    stats = {k: v.clone() for k, v in model.state_dict().items()}
    first = models.predict_proba(model, ds.X_valid)
    second = models.predict_proba(model, ds.X_valid)
    assert model.training == (mode == "train")
    # eval mode inside: BatchNorm used (not updated) its running statistics, so answers repeat
    assert all(torch.equal(stats[k], v) for k, v in model.state_dict().items())
    assert np.array_equal(first, second)
    model.eval()


def test_regression_predicts_values_and_refuses_probabilities():
    ds = data.load("boston")
    torch.manual_seed(0)
    model = models.build_model(_cfg(ds, hidden=[8]))
    pred = models.predict(model, ds.X_valid)
    assert pred.shape == (len(ds.X_valid),) and pred.dtype == np.float32
    with torch.no_grad():
        np.testing.assert_allclose(
            pred, model(torch.from_numpy(ds.X_valid))[:, 0].numpy(), rtol=1e-6
        )
    with pytest.raises(ValueError, match="predict"):
        models.predict_proba(model, ds.X_valid)
