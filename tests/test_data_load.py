"""data.load: names, splits, standardization, options, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import data
from data.tabular import BOSTON_CSV, boston_raw, iris_raw


def test_unknown_name_split_and_option_raise_value_error():
    with pytest.raises(ValueError, match="Unknown dataset 'cifar'.*xor, iris, boston, mnist"):
        data.load("cifar")
    with pytest.raises(ValueError, match="Unknown split 'random'"):
        data.load("iris", split="random")
    with pytest.raises(ValueError, match="iris does not take option.*n_train.*takes: features"):
        data.load("iris", n_train=5)
    with pytest.raises(ValueError, match="Unknown feature.*'colour'.*available: sepal length"):
        data.load("iris", features=["colour"])
    with pytest.raises(ValueError, match="empty"):
        data.load("boston", features=[])
    with pytest.raises(ValueError, match="n_train must be"):
        data.load("mnist", n_train=0)
    with pytest.raises(ValueError, match="n_per_corner"):
        data.load("xor", n_per_corner=-1)
    with pytest.raises(ValueError, match="noise"):
        data.load("xor", n_per_corner=3, noise=-0.1)


# ---------------------------------------------------------------- XOR


def test_xor_truth_table():
    ds = data.load("xor")
    expected_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    for X, y in [(ds.X_train, ds.y_train), (ds.X_valid, ds.y_valid)]:
        assert X.dtype == np.float32 and y.dtype == np.int64
        np.testing.assert_array_equal(X, expected_X)
        np.testing.assert_array_equal(y, [0, 1, 1, 0])
    assert ds.task == "binary" and ds.class_names == ["0", "1"] and ds.n_outputs == 1
    assert ds.feature_mean is None and ds.feature_std is None


def test_xor_cloud_labels_follow_nearest_corner_and_valid_is_independent():
    ds = data.load("xor", n_per_corner=50, noise=0.1, seed=3)
    assert ds.X_train.shape == ds.X_valid.shape == (200, 2)
    assert np.bincount(ds.y_train).tolist() == [100, 100]
    corner = (ds.X_train > 0.5).astype(int)  # noise 0.1 rarely crosses 0.5
    agree = (corner[:, 0] ^ corner[:, 1]) == ds.y_train
    assert agree.mean() > 0.97
    assert not np.allclose(ds.X_train, ds.X_valid)
    again = data.load("xor", n_per_corner=50, noise=0.1, seed=3)
    np.testing.assert_array_equal(ds.X_train, again.X_train)
    other = data.load("xor", n_per_corner=50, noise=0.1, seed=4)
    assert not np.allclose(ds.X_train, other.X_train)
    # Not standardized: the cloud stays around the unit square.
    assert abs(ds.X_train.mean() - 0.5) < 0.05


# ---------------------------------------------------------------- Iris


def test_iris_matches_scikit_learn():
    from sklearn.datasets import load_iris

    ref = load_iris()
    X, y, names, classes = iris_raw()
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)
    assert names == list(ref.feature_names)
    assert classes == ["setosa", "versicolor", "virginica"]


def test_iris_course_split_is_first_70_rows_without_virginica():
    ds = data.load("iris", split="course")
    assert ds.X_train.shape == (70, 4) and ds.X_valid.shape == (80, 4)
    X_raw, y_raw, _, _ = iris_raw()
    np.testing.assert_array_equal(ds.y_train, y_raw[:70])
    np.testing.assert_array_equal(ds.y_valid, y_raw[70:])
    assert 2 not in ds.y_train
    assert np.bincount(ds.y_train).tolist() == [50, 20]
    assert ds.split == "course"
    assert any("virginica" in n for n in ds.notes)
    np.testing.assert_allclose(ds.standardize(X_raw[:70]), ds.X_train, atol=1e-5)


def test_iris_recommended_split_is_stratified_and_same_size():
    ds = data.load("iris")
    assert ds.task == "multiclass" and ds.n_outputs == 3
    assert ds.X_train.shape == (70, 4) and ds.X_valid.shape == (80, 4)
    assert ds.y_train.dtype == np.int64
    counts = np.bincount(ds.y_train, minlength=3)
    assert counts.max() - counts.min() <= 1 and counts.sum() == 70
    assert sorted(np.bincount(ds.y_valid).tolist()) == sorted((50 - counts).tolist())
    assert ds.notes == []


def test_standardization_is_fit_on_training_rows_only():
    X_raw, _, _, _ = iris_raw()
    ds = data.load("iris", split="course")
    np.testing.assert_allclose(ds.feature_mean, X_raw[:70].mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(ds.feature_std, X_raw[:70].std(axis=0), rtol=1e-6)
    assert not np.allclose(ds.feature_mean, X_raw.mean(axis=0), rtol=1e-3)
    assert ds.X_train.dtype == np.float32
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, atol=1e-5)
    # The validation rows are NOT centred: they use the training statistics.
    assert np.abs(ds.X_valid.mean(axis=0)).max() > 0.5


def test_constant_column_is_guarded():
    from data.splits import apply_standardizer, fit_standardizer

    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    mean, std = fit_standardizer(X)
    assert std[1] == 1.0
    out = apply_standardizer(X, mean, std)
    assert np.isfinite(out).all() and (out[:, 1] == 0).all()


def test_iris_feature_selection():
    ds = data.load("iris", features=["petal width (cm)", "sepal length (cm)"])
    assert ds.feature_names == ["petal width (cm)", "sepal length (cm)"]
    assert ds.X_train.shape == (70, 2) and ds.feature_mean.shape == (2,)
    full = data.load("iris")
    np.testing.assert_allclose(ds.X_train, full.X_train[:, [3, 0]], atol=1e-6)


def test_seed_determinism():
    a, b, c = data.load("iris", seed=1), data.load("iris", seed=1), data.load("iris", seed=2)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_valid, b.y_valid)
    assert not np.array_equal(a.X_train, c.X_train)
    a, b = data.load("boston", seed=7), data.load("boston", seed=7)
    np.testing.assert_array_equal(a.X_valid, b.X_valid)


# ---------------------------------------------------------------- Boston


def test_boston_raw_file():
    frame = pd.read_csv(BOSTON_CSV)
    assert frame.shape == (506, 14)
    assert list(frame.columns)[-1] == "MEDV"
    X, y, names = boston_raw()
    assert X.shape == (506, 13) and len(names) == 13 and "B" in names
    assert y.min() == 5.0 and y.max() == 50.0


def test_boston_course_split_first_400_and_note():
    ds = data.load("boston", split="course")
    X, y, _ = boston_raw()
    assert ds.task == "regression" and ds.class_names is None and ds.n_outputs == 1
    assert ds.X_train.shape == (400, 13) and ds.X_valid.shape == (106, 13)
    assert ds.y_train.dtype == np.float32 and ds.y_train.shape == (400,)
    np.testing.assert_allclose(ds.y_train, y[:400])  # MEDV raw, not standardized
    np.testing.assert_allclose(ds.y_valid, y[400:])
    assert any("RAD = 24" in n for n in ds.notes)
    np.testing.assert_allclose(ds.feature_mean, X[:400].mean(axis=0), rtol=1e-5)


def test_boston_course_note_is_true():
    X, y, names = boston_raw()
    rad, crim = X[:, names.index("RAD")], X[:, names.index("CRIM")]
    assert (rad[400:] == 24).sum() == 88
    assert crim[400:].mean() > 5 * crim[:400].mean()
    assert (X[400:, names.index("ZN")] == 0).all() and (X[400:, names.index("CHAS")] == 0).all()
    assert round(crim[400:].mean(), 1) == 10.6 and round(crim[:400].mean(), 2) == 1.75
    b = X[:, names.index("B")]
    assert (b == 396.9).sum() == 121 and (b < 136.9).sum() == 36  # README ethics note
    assert (
        y[400:].max() < 30 and round(y[400:].mean(), 1) == 15.7 and round(y[:400].mean(), 1) == 24.3
    )


def test_boston_recommended_and_drop_b():
    ds = data.load("boston")
    assert ds.X_train.shape == (400, 13) and ds.X_valid.shape == (106, 13)
    _, y, names = boston_raw()
    # Same rows, different order: all 506 targets appear exactly once.
    np.testing.assert_allclose(
        np.sort(np.concatenate([ds.y_train, ds.y_valid])), np.sort(y), rtol=1e-6
    )
    assert any("B column" in n for n in ds.notes)
    no_b = data.load("boston", features=[n for n in names if n != "B"])
    assert no_b.X_train.shape == (400, 12) and "B" not in no_b.feature_names
    assert not any("B column" in n for n in no_b.notes)
    np.testing.assert_array_equal(no_b.y_train, ds.y_train)  # same seed, same rows


# ---------------------------------------------------------------- MNIST

TRAIN_HIST = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_HIST = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_mnist_shapes_and_published_label_histograms():
    ds = data.load("mnist")
    assert ds.X_train.shape == (60000, 28, 28) and ds.X_valid.shape == (10000, 28, 28)
    assert ds.X_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert np.bincount(ds.y_train).tolist() == TRAIN_HIST
    assert np.bincount(ds.y_valid).tolist() == TEST_HIST
    assert ds.class_names == [str(d) for d in range(10)] and ds.n_outputs == 10
    assert ds.input_shape == (28, 28) and len(ds.feature_names) == 784
    assert ds.y_train[:5].tolist() == [5, 0, 4, 1, 9]  # the famous first labels
    # 0 = background, 255 = ink: corners are empty, strokes saturate.
    assert ds.X_train[:, 0, 0].max() == 0 and ds.X_train[0].max() == 255


def test_mnist_course_split_is_the_same_60k_10k():
    ds = data.load("mnist", split="course")
    assert ds.split == "course" and len(ds.X_train) == 60000 and len(ds.X_valid) == 10000


def test_mnist_arrays_are_read_only_and_shared():
    a = data.load("mnist")
    b = data.load("mnist", n_train=100, n_valid=20)
    for arr in (a.X_train, a.y_train, a.X_valid, a.y_valid, b.X_train, b.y_valid):
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0] = 1
    assert b.X_train.shape == (100, 28, 28) and b.X_valid.shape == (20, 28, 28)
    assert np.shares_memory(a.X_train, b.X_train) and np.shares_memory(a.y_valid, b.y_valid)
    assert np.shares_memory(a.X_train, data.load("mnist").X_train)
