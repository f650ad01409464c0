"""The coach: `diagnose(run)` reads a run's curves, data and weights and says what they mean, as codes.

One function for every lab, replacing the special hints that used to live in
the pages (XOR's dead ReLUs, divergence, Boston's "can't beat a straight
line", the MNIST course recipe's explainer, Iris's course split). It returns
`Finding`s: a code from FINDING_CODES, the evidence (numbers) and a
suggestion (settings keyed by the CLI's flag names). It has no sentences; the
UI words each code from ui/locales/<lang>/coach.toml.

    findings = diagnose(run)                    # a TrainingRun or a BorrowedRun
    [f.code for f in findings]                  # e.g. ["overfitting"]
    findings[0].evidence                        # {"epoch": 40, "rise_pct": 19.4, "best_epoch": 11}
    findings[0].suggestion                      # {"dropout": 0.5}
    setting_text("dropout", 0.5)                # "0.5", as the CLI and a link spell it

A suggestion applies on top of the run's own settings: `{**settings_of(mc, tc, ds),
**finding.suggestion}` (models.flags) is the comparison run, and models.flags'
command_of and query_of give its command and link.
"""

from __future__ import annotations

from typing import Any

from models.diagnose_curves import (
    diverged,
    lr_too_high,
    lr_too_low,
    overfitting,
    still_improving,
    underfitting,
)
from models.diagnose_finding import (
    ADVICE_CODES,
    FINDING_CODES,
    NO_SUGGESTION_CODES,
    SUGGESTION_KEYS,
    Finding,
    setting_text,
)
from models.diagnose_probes import (
    class_missing,
    dead_units,
    mse_on_softmax,
    vanishing_gradients,
    worse_than_baseline,
)
from models.diagnose_robustness import robustness_gap
from models.diagnose_view import RunView
from models.threads import intra_op_threads

__all__ = [
    "ADVICE_CODES",
    "FINDING_CODES",
    "NO_SUGGESTION_CODES",
    "SUGGESTION_KEYS",
    "Finding",
    "diagnose",
    "setting_text",
]

# A finding that names the cause hides the vaguer ones it explains: dead units or
# vanishing gradients are why the loss barely moves, and a missing class is why
# validation loss climbs (it is not overfitting).
SUPPRESSES = {
    "class_missing": {"overfitting", "underfitting", "lr_too_high", "still_improving"},
    "dead_units": {"vanishing_gradients", "lr_too_low", "underfitting"},
    "vanishing_gradients": {"underfitting"},
    "mse_on_softmax": {"underfitting"},
    "lr_too_low": {"underfitting"},
    "lr_too_high": {"underfitting", "overfitting"},
}


def diagnose(run: Any, *, dataset: Any = None) -> list[Finding]:
    """What the coach sees in `run`: findings, most important first (see FINDING_CODES).

    `run` is a models.TrainingRun, a ui.live_run.BorrowedRun, or any object
    with the same read-only attributes (history, status, done, stop_code,
    stop_params, model_config, train_config, dataset, model). A kept run
    (models.run_record.RunRecord) works too: its rows come from `epochs` and
    its configs from `settings`. `dataset` stands in for run.dataset (a kept
    run has none). Without a model, the rules
    that look inside it (dead_units, vanishing_gradients, mse_on_softmax) are
    skipped; without a dataset, those and class_missing, worse_than_baseline
    and underfitting are. A run that diverged gets only that finding.

    Never changes the run: the model is read through eval-mode copies (its
    mode, weights, gradients and torch's random numbers stay as they were), on
    at most 1,000 training inputs, on one CPU thread. Measured on a 2-core
    machine under a load of ~14 (median of 7 calls): 27 ms for an MNIST
    784-128-10 MLP, 85 ms for the stuck 784-500-500-10 course recipe (the
    only case with two backward passes over 256 digits), 16 ms for Boston,
    6 ms for XOR. The first Boston call also imports scikit-learn (~0.5 s,
    once per process). Call it every few seconds while training, with the
    run held still (`with live.borrow() as run: diagnose(run)`).
    """
    view = RunView.of(run, dataset)
    stopped = diverged(view)
    if stopped is not None:
        return [stopped]
    # One thread: the probes are small, and on 2 cores the other is training or drawing.
    with intra_op_threads(1):
        return _diagnose(view)


def _diagnose(view: RunView) -> list[Finding]:
    chance = view.chance_loss()
    found = [
        class_missing(view),
        dead_units(view, chance),
        vanishing_gradients(view, chance),
        mse_on_softmax(view, chance),
        lr_too_high(view, chance),
        lr_too_low(view, chance),
        overfitting(view),
        worse_than_baseline(view),
        underfitting(view, chance),
        robustness_gap(view),
        still_improving(view),
    ]
    findings = [f for f in found if f is not None]
    hidden = set().union(*(SUPPRESSES.get(f.code, set()) for f in findings))
    findings = [f for f in findings if f.code not in hidden]
    return sorted(findings, key=lambda f: FINDING_CODES.index(f.code))
