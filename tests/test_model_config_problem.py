"""models.config.model_config_problem: the model checks the CLI asks before torch loads.

build_model raises the same problems as CodedErrors; each one's code, numbers
and both catalogues' wording are checked here as tests/test_error_codes.py
checks every other code.
"""

from __future__ import annotations

import pytest

import models
from models import ModelConfig
from models.config import INITS, MODEL_KINDS, model_config_problem
from tests.test_error_codes import _check

CASES = [
    ("unknown_model_kind", {"kind": "mlp2"}, {"kind": "mlp2", "choices": ", ".join(MODEL_KINDS)}),
    ("unknown_init", {"init": "zeros"}, {"init": "zeros", "choices": ", ".join(INITS)}),
    ("dropout_range", {"dropout": 1.0}, {"value": 1.0}),
    ("hidden_layer_empty", {"hidden": (8, 0)}, {}),
]


@pytest.mark.parametrize(("code", "changes", "params"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_has_its_code_and_build_model_raises_it(code, changes, params):
    config = ModelConfig((4,), 3, "multiclass", **changes)
    problem = model_config_problem(config.kind, config.init, config.dropout, config.hidden)
    assert problem is not None and problem[0] == code and problem[2] == params
    with pytest.raises(ValueError) as raised:
        models.build_model(config)
    _check(raised.value, code, params)
    assert str(raised.value) == problem[1]


def test_a_buildable_model_has_no_problem():
    assert model_config_problem("cnn", "he", 0.5, (16, 8)) is None
    assert model_config_problem("mlp", "default", 0.0, ()) is None  # no hidden layer: linear
