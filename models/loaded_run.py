"""A model loaded from a file, as a finished TrainingRun, so the labs show it like one they trained."""

from __future__ import annotations

import dataclasses
from typing import Any

from models.builders import Network
from models.config import TrainConfig
from models.history import History
from models.stop_reasons import LOADED
from models.trainer import TrainingRun

LOADED_REASON = LOADED.message


def loaded_run(dataset: Any, model: Network, meta: dict, train_config: TrainConfig) -> TrainingRun:
    """A finished run around `model` with the history its file recorded.

    The file's own training settings are used when it has them (`train_config`
    otherwise), with its recorded epochs as the planned ones, so "Train more"
    continues from there.
    """
    tc = TrainConfig.from_dict(meta["train_config"]) if meta.get("train_config") else train_config
    rows = (meta.get("history") or {}).get("epochs") or []
    run = TrainingRun(dataset, model.config, dataclasses.replace(tc, epochs=len(rows)), model=model)
    run.history = History(epochs=list(rows))
    run.epoch = len(rows)
    run.status = "finished"
    run.set_stop(LOADED)  # stop_reason LOADED_REASON, stop_code "loaded_from_file"
    return run
