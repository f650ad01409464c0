"""What the coach reads from a run: its finite history, settings and (optionally) model and data.

`RunView.of(run)` gathers it once from a models.TrainingRun, a BorrowedRun or
any object with the same read-only attributes; anything missing (an archived
run keeps no model) becomes None, and the rules that need it are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from models.config import ModelConfig, TrainConfig
from models.tasks import loss_function, target_dtype

# At most this many training inputs are read for the data probes (dead units, the
# guessing loss): enough for a stable answer, little enough to stay under ~10 ms on MNIST.
SAMPLE = 1000
# Stop codes after which the weights are the best epoch's (early stopping restored them).
RESTORED_CODES = ("early_stopped", "restored_best")


def finite(value: Any) -> bool:
    """True for a real, finite number."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _configs(run: Any, dataset: Any) -> tuple[ModelConfig | None, TrainConfig]:
    """The run's configs, or for a kept run, configs rebuilt from its settings (CLI flag names)."""
    model_config = getattr(run, "model_config", None)
    train_config = getattr(run, "train_config", None)
    settings = getattr(run, "settings", None)
    if train_config is None and isinstance(settings, Mapping):
        from models.flags import FLAGS

        def fields(part: str) -> dict[str, Any]:
            return {
                f.field: settings[f.name]
                for f in FLAGS.values()
                if f.part == part and f.name in settings
            }

        train = fields("train")
        if not train.get("early_stopping"):
            train["early_stopping"] = None  # 0 is how settings say "off"
        train_config = TrainConfig.from_dict(train)
        if model_config is None:
            # The shape only matters to rebuild a model, which a kept run never does.
            shape = getattr(dataset, "input_shape", ())
            n_out = getattr(dataset, "n_outputs", 0)
            task = getattr(run, "task", None) or getattr(dataset, "task", None)
            model_config = ModelConfig.from_dict(
                {**fields("model"), "input_shape": shape, "n_outputs": n_out, "task": task}
            )
    return model_config, train_config or TrainConfig()


@dataclass
class RunView:
    """The parts of a run the rules read, with the history split at its first non-finite loss."""

    rows: list[dict[str, Any]]
    bad_row: dict[str, Any] | None
    status: str
    done: bool
    stop_code: str | None
    stop_params: dict[str, Any]
    model_config: ModelConfig | None
    train_config: TrainConfig
    dataset: Any
    model: torch.nn.Module | None
    step_loss: list[float] = field(default_factory=list)
    # Measurements shared by several rules within one diagnose call (the model's copy, gradients).
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, run: Any, dataset: Any = None) -> RunView:
        """Read `run` once; `dataset` (if given) stands in for run.dataset."""
        history = getattr(run, "history", None)
        # A kept run (models.run_record.RunRecord) holds its rows as `epochs` and no history.
        kept = getattr(run, "epochs", None) if history is None else None
        rows = list(
            getattr(history, "epochs", None) or (kept if isinstance(kept, tuple | list) else [])
        )
        good: list[dict[str, Any]] = []
        bad = None
        for row in rows:
            if not (finite(row.get("train_loss")) and finite(row.get("valid_loss"))):
                bad = row
                break
            good.append(row)
        status = getattr(run, "status", None) or "ready"
        done = getattr(run, "done", None)
        dataset = dataset if dataset is not None else getattr(run, "dataset", None)
        model_config, train_config = _configs(run, dataset)
        return cls(
            rows=good,
            bad_row=bad,
            status=status,
            done=bool(done) if done is not None else status != "running" and status != "ready",
            stop_code=getattr(run, "stop_code", None),
            stop_params=dict(getattr(run, "stop_params", None) or {}),
            model_config=model_config,
            train_config=train_config,
            dataset=dataset,
            model=getattr(run, "model", None),
            step_loss=[v for v in (getattr(history, "step_loss", None) or []) if finite(v)],
        )

    # ------------------------------------------------------------- settings
    @property
    def task(self) -> str | None:
        """The task from the model config, else the dataset's."""
        if self.model_config is not None and self.model_config.task:
            return self.model_config.task
        return getattr(self.dataset, "task", None)

    @property
    def restored_best(self) -> bool:
        """True when early stopping put the best epoch's weights back."""
        return self.stop_code in RESTORED_CODES

    def column(self, key: str) -> list[float]:
        """One finite value per good epoch (rows lacking `key` are skipped)."""
        return [float(r[key]) for r in self.rows if finite(r.get(key))]

    def current_row(self) -> dict[str, Any] | None:
        """The epoch row describing the weights the run holds now."""
        if not self.rows:
            return None
        if self.restored_best:
            epoch = self.stop_params.get("epoch")
            for row in self.rows:
                if row.get("epoch") == epoch:
                    return row
        return self.rows[-1]

    def recent_train_loss(self) -> float | None:
        """The last epoch's training loss, or before the first epoch ends the mean of recent steps."""
        if self.rows:
            return float(self.rows[-1]["train_loss"])
        if len(self.step_loss) >= 20:  # fewer steps are too noisy to judge a fit by
            return float(np.mean(self.step_loss[-50:]))
        return None

    # ----------------------------------------------------------------- data
    def has_labels(self) -> bool:
        """True when the dataset has training inputs and targets to probe with."""
        d = self.dataset
        return d is not None and getattr(d, "X_train", None) is not None and self.task is not None

    def sample(self, n: int = SAMPLE) -> tuple[np.ndarray, np.ndarray]:
        """The first `n` training inputs and targets (the recommended splits are shuffled)."""
        return np.asarray(self.dataset.X_train[:n]), np.asarray(self.dataset.y_train[:n])

    def chance_loss(self) -> float | None:
        """The loss of a model that ignores its input: class shares (or the mean) of the training targets.

        It is the "simple baseline" that underfitting and a poor fit are judged against.
        """
        if not self.has_labels():
            return None
        task = self.task
        _, y = self.sample()
        y_all = np.asarray(self.dataset.y_train)
        if task == "regression":
            logits = np.full((len(y), 1), float(np.mean(y_all)), dtype=np.float32)
        elif task == "binary":
            p = float(np.clip(np.mean(y_all), 1e-6, 1 - 1e-6))
            logits = np.full((len(y), 1), math.log(p / (1 - p)), dtype=np.float32)
        else:
            k = self.model_config.n_outputs if self.model_config else int(y_all.max()) + 1
            shares = np.bincount(y_all.astype(int), minlength=k)[:k] / max(1, len(y_all))
            logits = np.tile(np.log(np.clip(shares, 1e-6, None)), (len(y), 1)).astype(np.float32)
        loss_fn = loss_function(task, self.train_config.loss)
        with torch.no_grad():
            value = loss_fn(torch.from_numpy(logits), torch.as_tensor(y).to(target_dtype(task)))
        return float(value)
