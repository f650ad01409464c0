"""NN Lab's engine: model builders, one trainer for every lab, metrics and persistence.

Pure PyTorch and scikit-learn: nothing here imports streamlit, so all of it
runs headless and from the command line (`python -m models.train`).

Note: `models.train` is the training function. The CLI module is
`models/train.py` (run it with `python -m models.train`); its code lives in
`models/cli.py` so that importing it never shadows the function.
"""

from models.activations import ACTIVATIONS, BUILDER_ACTIVATIONS, get_activation
from models.builders import (
    Network,
    build_cnn,
    build_mlp,
    build_model,
    count_parameters,
    inference_copy,
)
from models.config import ModelConfig, TrainConfig
from models.history import History
from models.metrics import confusion_matrix, per_class_report, task_metrics
from models.optimizers import OPTIMIZER_LABELS, OPTIMIZERS, make_optimizer
from models.persistence import (
    ModelFileError,
    check_compatible,
    load_model,
    load_model_file,
    model_to_bytes,
    save_model,
)
from models.predict import predict, predict_proba
from models.run_group import RunGroup
from models.summary import ModelSummary, model_summary
from models.tasks import LOSS_NAMES, OUTPUT_ACTIVATIONS, loss_function
from models.trainer import Callback, TrainingRun, train

__all__ = [
    "ACTIVATIONS",
    "BUILDER_ACTIVATIONS",
    "LOSS_NAMES",
    "OPTIMIZERS",
    "OPTIMIZER_LABELS",
    "OUTPUT_ACTIVATIONS",
    "Callback",
    "History",
    "ModelConfig",
    "ModelFileError",
    "ModelSummary",
    "Network",
    "RunGroup",
    "TrainConfig",
    "TrainingRun",
    "build_cnn",
    "build_mlp",
    "build_model",
    "inference_copy",
    "check_compatible",
    "confusion_matrix",
    "count_parameters",
    "get_activation",
    "load_model",
    "load_model_file",
    "loss_function",
    "make_optimizer",
    "model_summary",
    "model_to_bytes",
    "per_class_report",
    "predict",
    "predict_proba",
    "save_model",
    "task_metrics",
    "train",
]
