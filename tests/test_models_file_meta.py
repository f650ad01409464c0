"""A model file's description checked before anything is built from it (models.file_meta)."""

from __future__ import annotations

import io
import json
import math

import pytest
import torch

import data
import models
from models import ModelConfig, ModelFileError, TrainConfig
from models.file_meta import check_description
from tests.model_file_helpers import edited_description


def _meta() -> dict:
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    blob = models.model_to_bytes(models.build_model(mc), train_config=TrainConfig(), dataset=ds)
    return json.loads(torch.load(io.BytesIO(blob), weights_only=True)["meta"])


def test_a_file_nn_lab_wrote_passes():
    check_description(_meta())


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("optimizer", "lbfgs"),
        ("lr", 0),
        ("lr", math.nan),
        ("lr", "abc"),
        ("weight_decay", -1.0),
        ("batch_size", 0),
        ("batch_size", 2.5),
        ("batch_size", True),
        ("epochs", -1),
        ("seed", 2**64),
        ("loss", "hinge"),
        ("early_stopping", -3),
        ("clip_grad", math.inf),
        ("augment", "yes"),
    ],
)
def test_each_training_setting_nn_lab_cannot_use_is_refused_by_name(setting, value):
    meta = _meta()
    meta["train_config"][setting] = value
    with pytest.raises(ModelFileError) as info:
        check_description(meta)
    assert info.value.code == "model_file_bad_setting"
    assert info.value.params["setting"] == f"train_config.{setting}"


@pytest.mark.parametrize(
    ("edit", "setting"),
    [
        (lambda m: m.update(train_config=["x"]), "train_config"),
        (lambda m: m.update(dataset="xor"), "dataset"),
        (lambda m: m.update(history={"epochs": 5}), "history.epochs"),
        (lambda m: m["dataset"].update(options=[1]), "dataset.options"),
        (
            lambda m: m["dataset"]["options"].update(n_per_corner="many"),
            "dataset.options.n_per_corner",
        ),
        (lambda m: m["dataset"]["options"].update(features="x1"), "dataset.options.features"),
        (lambda m: m.update(model_config=None), "model_config"),
    ],
)
def test_a_section_of_the_wrong_shape_is_refused_by_name(edit, setting):
    meta = _meta()
    edit(meta)
    with pytest.raises(ModelFileError) as info:
        check_description(meta)
    assert info.value.params["setting"] == setting


def test_a_long_value_is_cut_in_the_message():
    meta = _meta()
    meta["train_config"]["optimizer"] = "x" * 500
    with pytest.raises(ModelFileError) as info:
        check_description(meta)
    assert len(info.value.params["value"]) == 40 and info.value.params["value"].endswith("…")


def test_a_huge_described_network_is_refused_before_it_is_built():
    # 200,000 x 200,000 hidden neurons: 160 GB if built. The shapes are compared on the meta
    # device first, so this returns at once with torch's size-mismatch detail.
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    blob = models.model_to_bytes(models.build_model(mc), train_config=TrainConfig())
    huge = edited_description(blob, lambda m: m["model_config"].update(hidden=[200_000, 200_000]))
    with pytest.raises(ModelFileError) as info:
        models.load_model(huge)
    assert info.value.code == "model_file_weights_mismatch"
    assert "200000" in info.value.params["detail"]


def test_an_unknown_task_and_damaged_json_are_named_without_pythons_english():
    meta = _meta()
    meta["model_config"]["task"] = "ranking"
    with pytest.raises(ModelFileError) as info:
        check_description(meta)
    assert info.value.params == {"setting": "model_config.task", "value": "'ranking'"}
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    payload = torch.load(
        io.BytesIO(models.model_to_bytes(models.build_model(mc))), weights_only=True
    )
    payload["meta"] = "{not json"
    buf = io.BytesIO()
    torch.save(payload, buf)
    with pytest.raises(ModelFileError) as info:
        models.load_model(buf.getvalue())
    assert info.value.code == "model_file_damaged" and info.value.params == {"detail": "JSON 1:2"}


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda m: m.update(model_config=None), "model_file_bad_setting"),
        (lambda m: m.update(model_config="mlp"), "model_file_bad_setting"),
        (lambda m: m["model_config"].update(n_outputs=-1), "model_file_architecture"),
        (lambda m: m["model_config"].update(input_shape=[-2]), "model_file_architecture"),
        (lambda m: m["model_config"].update(hidden=["a"]), "model_file_damaged"),
        (lambda m: m.update(history={"epochs": [5]}), "model_file_bad_setting"),
    ],
)
def test_load_model_refuses_a_hand_edited_description_with_a_coded_error(edit, code):
    # The final review: a null model_config raised AttributeError before any check ran, and
    # a negative size a RuntimeError from the meta-device build; both reached the page.
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    blob = models.model_to_bytes(models.build_model(mc), train_config=TrainConfig())
    with pytest.raises(ModelFileError) as info:
        models.load_model(edited_description(blob, edit))
    assert info.value.code == code
