"""One setting's value against a lab's widget: its range, its slider's notches, its choices.

Used by ui.experiment_settings to turn a link's, a file's or the coach's settings into the
lab's widget values; each check raises (or notes) a CodedError that names the setting.
"""

from __future__ import annotations

import math
from typing import Any

from data.errors import CodedError
from models.flags import format_value


def lab_range(name: str, value: Any, low: float, high: float) -> None:
    """Raise setting_lab_range if `value` is outside this lab's `low` to `high`."""
    if not low <= value <= high:
        raise CodedError(
            "setting_lab_range",
            f"{name}={format_value(name, value)} is outside this lab's {low:g} to {high:g}.",
            setting=name,
            value=format_value(name, value),
            low=f"{low:g}",
            high=f"{high:g}",
        )


def on_slider(name: str, value: float, slider: tuple[float, float, float]) -> float:
    """`value` checked against a slider's (low, high, step) and put on its nearest step.

    Raises setting_lab_range outside the slider; the step is quietly taken, as the slider would.
    """
    low, high, step = slider
    lab_range(name, value, low, high)
    return round(round(value / step) * step, 2)


def nearest_notch(
    name: str, value: float, notches, problems: list[CodedError], linear: bool = False
) -> float:
    """The nearest notch (on a log scale unless `linear`); a note when it is not `value` itself.

    Typed floats within 1% of a notch count as that notch.
    """

    def distance(n: float) -> float:
        return abs(n - value) if linear else abs(_log(n) - _log(value))

    nearest = min(notches, key=distance)
    if abs(nearest - value) > 0.01 * max(abs(value), 1e-12):
        problems.append(
            CodedError(
                "setting_snapped",
                f"{name}={format_value(name, value)} is between two notches; "
                f"using {format_value(name, nearest)}.",
                setting=name,
                value=format_value(name, value),
                used=format_value(name, nearest),
            )
        )
    return nearest


def _log(x: float) -> float:
    return math.log10(x) if x > 0 else -99.0


def not_in_lab(name: str, value: Any) -> CodedError:
    """The error for a setting this lab has no widget for."""
    return CodedError(
        "setting_not_in_lab",
        f"{name} is not a setting of this lab.",
        setting=name,
        value=format_value(name, value),
    )


def not_choice(name: str, value: Any, choices) -> CodedError:
    """The error for a value that is not one of the widget's `choices`."""
    listed = ", ".join(str(c) for c in choices)
    return CodedError(
        "setting_not_choice",
        f"{name}={value} is not one of: {listed}.",
        setting=name,
        value=str(value),
        choices=listed,
    )
