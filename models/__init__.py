"""NN Lab's engine: model builders, one trainer for every lab, metrics and persistence.

Pure PyTorch and scikit-learn: nothing here imports streamlit, so all of it
runs headless and from the command line (`python -m models.train`).

Note: `models.train` is the training function. The CLI module is
`models/train.py` (run it with `python -m models.train`); its code lives in
`models/cli.py` so that importing it never shadows the function.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# Each public name and the module that defines it. They are imported on first
# use (PEP 562 module __getattr__), not here: `python -m models.train --help`
# imports this package first, and importing torch alone takes seconds. A new
# public name goes in this table (and __all__), never in an import line above.
_EXPORTS = {
    "models.activations": ("ACTIVATIONS", "BUILDER_ACTIVATIONS", "get_activation"),
    "models.builders": (
        "Network",
        "build_cnn",
        "build_mlp",
        "build_model",
        "count_parameters",
        "inference_copy",
    ),
    "models.config": ("ModelConfig", "TrainConfig"),
    "models.diagnose": ("Finding", "diagnose"),
    "models.history": ("History",),
    "models.metrics": ("confusion_matrix", "per_class_report", "task_metrics"),
    "models.optimizers": ("OPTIMIZER_LABELS", "OPTIMIZERS", "make_optimizer"),
    "models.persistence": (
        "ModelFileError",
        "check_compatible",
        "load_model",
        "load_model_file",
        "model_to_bytes",
        "save_model",
    ),
    "models.predict": ("predict", "predict_proba"),
    "models.run_group": ("RunGroup",),
    "models.state_dict_match": ("StateDictMatch", "match_state_dict"),
    "models.summary": ("ModelSummary", "model_summary"),
    "models.tasks": ("LOSS_NAMES", "OUTPUT_ACTIVATIONS", "loss_function"),
    "models.trainer": ("Callback", "TrainingRun", "train"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used, then keep the value."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The public names as well as what is already loaded (for dir() and completion)."""
    return sorted(set(globals()) | set(_MODULE_OF))


class _LazyPackage(types.ModuleType):
    """This package, keeping its public names when the import system binds a submodule.

    Loading a submodule sets it as an attribute of the package, and two submodules
    share a public function's name (`models.predict`, `models.train`): without
    this, `from models import predict` would give the module once someone had
    imported `models.predict`, where the eager imports used to bind the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _MODULE_OF and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _LazyPackage


__all__ = [
    "ACTIVATIONS",
    "BUILDER_ACTIVATIONS",
    "LOSS_NAMES",
    "OPTIMIZERS",
    "OPTIMIZER_LABELS",
    "OUTPUT_ACTIVATIONS",
    "Callback",
    "Finding",
    "History",
    "ModelConfig",
    "ModelFileError",
    "ModelSummary",
    "Network",
    "RunGroup",
    "StateDictMatch",
    "TrainConfig",
    "TrainingRun",
    "build_cnn",
    "build_mlp",
    "build_model",
    "inference_copy",
    "check_compatible",
    "confusion_matrix",
    "count_parameters",
    "diagnose",
    "get_activation",
    "load_model",
    "load_model_file",
    "loss_function",
    "make_optimizer",
    "match_state_dict",
    "model_summary",
    "model_to_bytes",
    "per_class_report",
    "predict",
    "predict_proba",
    "save_model",
    "task_metrics",
    "train",
]
