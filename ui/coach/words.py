"""A finding in words: its evidence, its why and its button, from ui/locales/<lang>/coach.toml.

Pure (no streamlit): every function takes the Translator to word with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models.diagnose import NO_SUGGESTION_CODES, Finding, setting_text
from models.optimizers import OPTIMIZER_LABELS
from ui.controls import ACTIVATION_LABELS
from ui.i18n import ENGLISH, Translator, sentences

# Codes that mean the run broke down: shown as an error, not a warning.
BROKEN_CODES = frozenset({"diverged", "diverged_at_start"})


def value_text(flag: str, value: Any) -> str:
    """A suggested value as the controls show it: "leaky_relu" -> "Leaky ReLU", (64,) -> "64"."""
    if flag == "activation":
        return ACTIVATION_LABELS.get(value, str(value))
    if flag == "optimizer":
        return OPTIMIZER_LABELS.get(value, str(value))
    return setting_text(flag, value)


def changes_text(
    suggestion: Mapping[str, Any], tr: Translator = ENGLISH, recurrent: bool = False
) -> str:
    """The suggestion in words: {"optimizer": "adam", "lr": 0.003} -> "optimizer Adam, learning rate 0.003".

    `recurrent`: for a recurrent network, whose "hidden" setting is its hidden state's size
    (the coach's only suggestion of it, a wider network, keeps the layer count).
    """

    def worded(flag: str, value: Any) -> str:
        word = setting_word(flag, recurrent)
        shown = str(state_size(value)) if word == STATE else value_text(flag, value)
        return tr(f"coach.setting.{word}", value=shown)

    return tr("coach.separator").join(worded(f, v) for f, v in suggestion.items())


# The recurrent network's names for its "hidden" setting's two parts, as its sidebar sets them.
STATE, LAYERS = "hidden_state", "layers"


def setting_word(flag: str, recurrent: bool) -> str:
    """The catalogue's name for setting `flag`: "hidden" is "hidden_state" in a recurrent network."""
    return STATE if recurrent and flag == "hidden" else flag


def layer_sizes(hidden: Any) -> tuple[int, ...]:
    """A "hidden" setting as its sizes, one per layer: (32, 32), [32] -> (32,), 32 -> (32,), None -> ()."""
    if hidden is None:
        return ()
    return tuple(int(h) for h in hidden) if isinstance(hidden, list | tuple) else (int(hidden),)


def state_size(hidden: Any) -> int:
    """A recurrent network's hidden state size from its "hidden" setting: (32, 32) -> 32 (0: none).

    The RNN lab gives every recurrent layer the same size, so the first stands for all.
    """
    sizes = layer_sizes(hidden)
    return sizes[0] if sizes else 0


def recurrent_changes(
    changes: Sequence[tuple[str, Any, Any]],
) -> list[tuple[str, Any, Any]]:
    """`changes` with a recurrent "hidden" change split into its state size and its layer count.

    ("hidden", (32,), (32, 32)) -> [("layers", 1, 2)]: the sidebar sets the two apart,
    so "32 → 32,32" would name neither. Sizes that differ from layer to layer (not the
    RNN lab's), or a side without the setting, keep the change as it is.
    """
    out: list[tuple[str, Any, Any]] = []
    for name, before, after in changes:
        old, new = layer_sizes(before), layer_sizes(after)
        if name != "hidden" or not old or not new or len(set(old)) > 1 or len(set(new)) > 1:
            out.append((name, before, after))
            continue
        if old[0] != new[0]:
            out.append((STATE, old[0], new[0]))
        if len(old) != len(new):
            out.append((LAYERS, len(old), len(new)))
    return out


def evidence_text(finding: Finding, tr: Translator = ENGLISH) -> str:
    """One sentence of evidence, with the finding's numbers."""
    return tr(f"coach.{finding.code}.evidence", **dict(finding.evidence))


def why_text(finding: Finding, tr: Translator = ENGLISH) -> str:
    """One sentence of why."""
    return tr(f"coach.{finding.code}.why")


def button_text(finding: Finding, tr: Translator = ENGLISH, recurrent: bool = False) -> str | None:
    """The label of the button that tries the suggestion (None: the finding has no suggestion)."""
    if finding.code in NO_SUGGESTION_CODES or not finding.suggestion:
        return None
    changes = changes_text(finding.suggestion, tr, recurrent)
    return tr(f"coach.{finding.code}.button", changes=changes)


def restored_text(stop_code: str | None, stop_params: Mapping[str, Any], tr: Translator) -> str:
    """Where a diverged run's weights went back to ("" when it did not diverge after a step)."""
    if stop_code == "diverged":
        return tr("coach.restored.epoch", epoch=stop_params.get("good_epoch", 0))
    if stop_code == "diverged_initial":
        return tr("coach.restored.initial")
    return ""


def finding_text(
    finding: Finding,
    tr: Translator = ENGLISH,
    stop_code: str | None = None,
    stop_params: Mapping[str, Any] | None = None,
) -> str:
    """Evidence then why, as the box shows them.

    A broken run's text starts with the run's status ("Training diverged.") and
    ends with where its weights went back to (from the run's stop_code).
    """
    text = sentences(evidence_text(finding, tr), why_text(finding, tr))
    if finding.code in BROKEN_CODES:
        restored = restored_text(stop_code, stop_params or {}, tr)
        return tr("common.diverged", reason=sentences(text, restored))
    return text
