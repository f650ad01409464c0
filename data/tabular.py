"""Iris and Boston housing: the two tabular course datasets."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

from .dataset import Dataset, Task
from .errors import CodedError
from .splits import apply_standardizer, fit_standardizer, shuffle_split, stratified_split

BOSTON_CSV = Path(__file__).resolve().parent / "boston_housing.csv"

IRIS_COURSE_NOTE = (
    "Course split: the first 70 rows train and the other 80 validate. The file is sorted "
    "by species, so the training rows contain no virginica at all (50 setosa, 20 "
    "versicolor), while 50 of the 80 validation flowers are virginica. The model has "
    "never seen that class, so it gets them wrong and validation accuracy stays near "
    "30/80 = 38% however well it learns. The recommended split shuffles (keeping the "
    "species balanced) with the same sizes."
)
BOSTON_COURSE_NOTE = (
    "Course split: the first 400 rows train and the last 106 validate. The rows are "
    "ordered by town, and the last 106 are almost all (88 of 106) the high-crime tracts "
    "with RAD = 24 and TAX = 666 (inner Boston): mean crime rate 10.6 vs 1.75 in the "
    "training rows, no residential zoning (ZN = 0), none on the Charles River, and cheaper houses "
    "(median value $15.7k on average vs $24.3k, none above $30k). The validation score "
    "therefore measures how well the model extrapolates to one different part of town, "
    "not how well it predicts a typical house. The recommended split shuffles the rows "
    "with the same sizes."
)
BOSTON_B_NOTE = (
    "The B column encodes the proportion of Black residents under a racist assumption "
    "(see data/README.md); we recommend dropping it."
)


def select_features(
    X: np.ndarray, names: list[str], features: list[str] | None
) -> tuple[np.ndarray, list[str]]:
    """Keep only the requested columns (in the requested order); None keeps all."""
    if features is None:
        return X, list(names)
    if isinstance(features, str) or not all(isinstance(f, str) for f in features):
        raise ValueError("features must be a list of column names, e.g. ['RM', 'LSTAT'].")
    features = list(features)
    if not features:
        raise CodedError("features_empty", "features is empty: choose at least one feature.")
    unknown = [f for f in features if f not in names]
    if unknown:
        shown, available = ", ".join(map(repr, unknown)), ", ".join(names)
        raise CodedError(
            "features_unknown",
            f"Unknown feature(s) {shown}; available: {available}.",
            features=shown,
            available=available,
        )
    if len(set(features)) != len(features):
        raise CodedError("features_twice", "features lists the same column twice.")
    return X[:, [names.index(f) for f in features]], features


def build_tabular(
    *,
    name: str,
    task: Task,
    X: np.ndarray,
    y: np.ndarray,
    feature_names: list[str],
    class_names: list[str] | None,
    train_idx: np.ndarray,
    valid_idx: np.ndarray,
    split: str,
    notes: list[str] | None = None,
) -> Dataset:
    """Split rows, fit standardization on the training rows, return a Dataset."""
    mean, std = fit_standardizer(X[train_idx])
    y = y.astype(np.float32 if task == "regression" else np.int64)
    return Dataset(
        name=name,
        task=task,
        X_train=apply_standardizer(X[train_idx], mean, std),
        y_train=y[train_idx],
        X_valid=apply_standardizer(X[valid_idx], mean, std),
        y_valid=y[valid_idx],
        feature_names=feature_names,
        class_names=class_names,
        split=split,
        feature_mean=mean,
        feature_std=std,
        notes=list(notes or []),
    )


IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


@functools.lru_cache(maxsize=1)
def _iris_raw() -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...]]:
    # Read the iris.csv that ships inside scikit-learn directly: identical to
    # sklearn.datasets.load_iris() (a test checks) without the ~1.5 s import.
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "iris.csv"
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    return table[:, :4], table[:, 4].astype(np.int64), IRIS_FEATURES, tuple(header[2:])


def iris_raw() -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Raw Iris (150, 4) features, int labels, feature names, class names (sklearn order)."""
    X, y, names, classes = _iris_raw()
    return X.copy(), y.copy(), list(names), list(classes)


def load_iris(
    split: str = "recommended", seed: int = 0, features: list[str] | None = None
) -> Dataset:
    """Iris, 70 train / 80 validation rows: first 70 (course) or stratified shuffle."""
    X, y, names, classes = iris_raw()
    X, names = select_features(X, names, features)
    if split == "course":
        train_idx, valid_idx = np.arange(70), np.arange(70, len(y))
        notes = [IRIS_COURSE_NOTE]
    else:
        train_idx, valid_idx = stratified_split(y, 70, seed)
        notes = []
    return build_tabular(
        name="iris",
        task="multiclass",
        X=X,
        y=y,
        feature_names=names,
        class_names=classes,
        train_idx=train_idx,
        valid_idx=valid_idx,
        split=split,
        notes=notes,
    )


@functools.lru_cache(maxsize=1)
def _boston_raw() -> tuple[np.ndarray, tuple[str, ...]]:
    import pandas as pd

    frame = pd.read_csv(BOSTON_CSV)
    return frame.to_numpy(dtype=np.float64), tuple(frame.columns)


def boston_raw() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Raw Boston (506, 13) features, MEDV in $1000s, and the 13 feature names."""
    data, columns = _boston_raw()
    return data[:, :-1].copy(), data[:, -1].copy(), list(columns[:-1])


def load_boston(
    split: str = "recommended",
    seed: int = 0,
    features: list[str] | None = None,
    n_train: int | None = None,
) -> Dataset:
    """Boston housing, 400 train / 106 validation rows: first 400 (course) or shuffled.

    n_train keeps only the first n training rows (the validation rows stay the
    same), so overfitting shows within seconds; standardization is fitted on them.
    """
    X, y, names = boston_raw()
    X, names = select_features(X, names, features)
    if split == "course":
        train_idx, valid_idx = np.arange(400), np.arange(400, len(y))
        notes = [BOSTON_COURSE_NOTE]
    else:
        train_idx, valid_idx = shuffle_split(len(y), 400, seed)
        notes = []
    if n_train is not None:
        if not 2 <= int(n_train) <= len(train_idx):
            raise CodedError(
                "subset_size",
                f"n_train must be between 2 and {len(train_idx)}, got {n_train}.",
                value=int(n_train),
                low=2,
                high=len(train_idx),
            )
        train_idx = train_idx[: int(n_train)]
    if "B" in names:
        notes.append(BOSTON_B_NOTE)
    return build_tabular(
        name="boston",
        task="regression",
        X=X,
        y=y,
        feature_names=names,
        class_names=None,
        train_idx=train_idx,
        valid_idx=valid_idx,
        split=split,
        notes=notes,
    )
