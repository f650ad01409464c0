"""Which sidebar settings a model file sets in a lab, and what the sidebar shows now.

An NN Lab file names its network, its training and its data (meta["dataset"]). A lab whose
sidebar has data controls rebuilds that data when it can (`rebuildable`); the settings go to
the sidebar by flag name (models.flags), as links and the coach send them.
"""

from __future__ import annotations

import inspect
from typing import Any

from data import Dataset
from data.loader import LOADERS
from lessons.registry import Lab, lab_with_key
from models import ModelConfig, TrainConfig
from models.flags import FLAGS, settings_of
from ui.experiment_settings import lab_flags
from ui.subset import SUBSET_SIZES


def rebuildable(lab: Lab | None, described: dict | None) -> bool:
    """True if `lab`'s sidebar can rebuild the data a file describes (its meta["dataset"]).

    A course dataset of this lab, loaded with data.load options only, in a lab whose sidebar
    has data controls; not a table of the student's own (the Your data lab), not in the file.
    """
    data_controls = lab and lab.controls and any(FLAGS[f].part == "data" for f in lab_flags(lab))
    name = (described or {}).get("name")
    if not data_controls or name not in LOADERS or name not in (lab.dataset, *lab.more_datasets):
        return False
    return set(described.get("options") or {}) <= set(inspect.signature(LOADERS[name]).parameters)


def data_settings(
    lab: Lab, name: str, split: str | None, options: dict | None, feature_names
) -> dict[str, Any]:
    """The data settings (flag names) `lab`'s sidebar shows for data `name` loaded with `options`.

    An option not given has data.load's default (the whole training set, the
    XOR truth table), and the features are the ones the data had.
    """
    fn = LOADERS.get(name)
    params = inspect.signature(fn).parameters.values() if fn is not None else ()
    given = {p.name: p.default for p in params} | dict(options or {})
    out: dict[str, Any] = {}
    for flag in lab_flags(lab):
        if FLAGS[flag].part != "data":
            continue
        if flag == "dataset":
            value = name
        elif flag == "split":
            value = split or "recommended"
        elif flag == "features":
            value = tuple(feature_names or ()) or None
        elif flag == "n-train":
            value = given.get("n_train") or SUBSET_SIZES[lab.name][-1]
        else:
            value = given.get(FLAGS[flag].field)
        if value is not None:
            out[flag] = value
    if out.get("n-per-corner") == 0:
        out.pop("noise", None)  # the four truth-table points have no noise to show
    return out


def file_data(lab: Lab, described: dict) -> dict[str, Any]:
    """data_settings of the data a file describes (its meta["dataset"])."""
    split, options = described.get("split"), described.get("options")
    return data_settings(lab, described["name"], split, options, described.get("feature_names"))


def restorable_settings(
    lab_key: str,
    model_config: ModelConfig,
    train_config: TrainConfig,
    described: dict | None = None,
) -> dict:
    """The settings of a model to put in lab `lab_key`'s sidebar (models.flags names).

    Only the flags of lab_flags(lab): one the lab fixes (the RNN lab's tanh) raises no note, and
    a real difference is named by the upload's message. `described`, a file's meta["dataset"],
    adds the data settings when the lab can rebuild that data.
    """
    settings = settings_of(model_config, train_config)
    lab = lab_with_key(lab_key)
    if lab is None or lab.controls is None:
        return settings
    if rebuildable(lab, described):
        settings.update(file_data(lab, described))
    shown = lab_flags(lab)
    return {name: value for name, value in settings.items() if name in shown}


def page_settings(lab: Lab | None, mc: ModelConfig, tc: TrainConfig, dataset: Dataset) -> dict:
    """Every setting the page's sidebar made now: the network, the training and its data controls."""
    settings = settings_of(mc, tc)
    if lab is not None and lab.controls is not None:
        names = getattr(dataset, "feature_names", None)
        split, options = getattr(dataset, "split", None), getattr(dataset, "options", None)
        settings.update(data_settings(lab, dataset.name, split, options, names))
    return settings


def same_value(a: Any, b: Any) -> bool:
    """True if two settings are equal, a list and a tuple of the same items included."""
    norm = [tuple(v) if isinstance(v, list | tuple) else v for v in (a, b)]
    return norm[0] == norm[1]
