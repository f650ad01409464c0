"""The coach's vocabulary: a Finding, its fixed codes, and how a suggested setting is spelt.

No sentences here: the UI words each code from ui/locales/<lang>/coach.toml
(`coach.<code>.evidence` with the evidence as placeholders, `.why`, `.button`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Most important first: diagnose() returns findings in this order.
FINDING_CODES = (
    "diverged",
    "diverged_at_start",
    "class_missing",
    "dead_units",
    "vanishing_gradients",
    "mse_on_softmax",
    "lr_too_high",
    "lr_too_low",
    "overfitting",
    "worse_than_baseline",
    "underfitting",
    "robustness_gap",
    "still_improving",
)
# Not a problem, only advice: a healthy run may get these.
ADVICE_CODES = frozenset({"still_improving", "robustness_gap"})
# Codes whose suggestion is empty (no setting tests the explanation): the UI shows no button.
NO_SUGGESTION_CODES = frozenset({"diverged_at_start"})
# Every key a suggestion may hold: the CLI's flag names (`python -m models.train --<key>`),
# which are also the experiment link's query keys.
SUGGESTION_KEYS = (
    "lr",
    "optimizer",
    "activation",
    "dropout",
    "weight-decay",
    "hidden",
    "epochs",
    "loss",
    "batchnorm",
    "split",
    "early-stopping",
    "augment",
)


@dataclass(frozen=True)
class Finding:
    """One thing the coach noticed about a run.

    code: one of FINDING_CODES.
    evidence: the measured numbers behind it, keyed exactly as the placeholders
        of `coach.<code>.evidence` in the catalogues.
    suggestion: setting changes that test the explanation, keyed by the CLI's
        flag names (SUGGESTION_KEYS), e.g. {"lr": 0.01} or {"hidden": (256,)}.
    """

    code: str
    evidence: Mapping[str, float | int | str] = field(default_factory=dict)
    suggestion: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_problem(self) -> bool:
        """False for advice (still_improving), True for everything that went wrong."""
        return self.code not in ADVICE_CODES


def nice(value: float) -> float:
    """`value` rounded to one significant digit, as a student would type it (0.0031 -> 0.003)."""
    return float(f"{value:.1g}")


def setting_text(key: str, value: Any) -> str:
    """A suggested value as the CLI and a link spell it: ("hidden", (500, 500)) -> "500,500".

    The same spelling as models.flags (whose command_of and query_of turn a
    run's settings, updated with a suggestion, into the command and the link).
    """
    from models.flags import format_value  # the one spelling of every setting

    return format_value(key, value)
