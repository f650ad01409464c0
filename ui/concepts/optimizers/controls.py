"""Widgets for the optimizer lab; `optimizer_ui()` returns an OptimizerSettings."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st

from lessons.loss_surfaces import SURFACES, Surface
from lessons.optimizer_paths import OptimizerPath, compare
from models.optimizers import OPTIMIZER_LABELS, OPTIMIZERS
from ui.i18n import ENGLISH, Translator, catalogue
from ui.language import t, translator
from ui.state import remember

# Log-spaced: each notch is ×2–3, the way learning rates are tuned.
LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0]
DEFAULT_OPTIMIZERS = ["sgd", "momentum", "adam"]


@dataclass(frozen=True)
class OptimizerSettings:
    """Surface, optimizers with their learning rates, start point and number of steps."""

    surface: Surface
    learning_rates: dict[str, float]
    start: tuple[float, float]
    steps: int


def surface_key(name: str) -> str:
    """The catalogue key part of a surface from lessons.loss_surfaces ("Narrow valley" -> "narrow_valley")."""
    return name.lower().replace(" ", "_")


def surface_name(name: str, tr: Translator = ENGLISH) -> str:
    """A surface's name in `tr`'s language (its lessons name when the catalogue lacks it)."""
    key = f"optimizers.surfaces.{surface_key(name)}.name"
    return tr(key) if key in catalogue("en") else name


def surface_note(surface: Surface, tr: Translator = ENGLISH) -> str:
    """A surface's one-line note in `tr`'s language (its lessons note when the catalogue lacks it)."""
    key = f"optimizers.surfaces.{surface_key(surface.name)}.note"
    return tr(key) if key in catalogue("en") else surface.note


def explanation(path: OptimizerPath, tr: Translator = ENGLISH) -> str:
    """One sentence for students about how the run ended (OptimizerPath.explanation, worded by `tr`)."""
    if path.diverged:
        return tr("optimizers.explain.diverged", name=path.label, step=len(path.points), lr=path.lr)
    return tr(
        "optimizers.explain.ended",
        name=path.label,
        loss=path.final_loss,
        steps=len(path.points) - 1,
    )


def _nearest(lr: float) -> float:
    return min(LEARNING_RATES, key=lambda v: abs(v - lr) / v)


def optimizer_ui() -> OptimizerSettings:
    """Surface and optimizer pickers, a learning rate per optimizer, start point and steps."""
    c1, c2, c3 = st.columns([2, 3, 2])
    surface = SURFACES[
        c1.selectbox(
            t("optimizers.controls.surface"),
            list(SURFACES),
            format_func=functools.partial(surface_name, tr=translator()),
            key=remember("opt_surface"),
        )
    ]
    names = c2.multiselect(
        t("optimizers.controls.optimizers"),
        list(OPTIMIZERS),
        format_func=OPTIMIZER_LABELS.get,
        key=remember("opt_names", DEFAULT_OPTIMIZERS),
    )
    steps = c3.slider(
        t("optimizers.controls.steps"), 10, 1000, step=10, key=remember("opt_steps", 300)
    )
    suggested = dict(surface.suggested_lr)
    rates = {}
    if names:
        cols = st.columns(len(names))
        for col, name in zip(cols, names, strict=True):
            # Keys carry the surface, so each surface opens on its own sensible rates.
            rates[name] = col.select_slider(
                t("optimizers.controls.lr", name=OPTIMIZER_LABELS[name]),
                LEARNING_RATES,
                key=remember(f"opt_lr_{surface.name}_{name}", _nearest(suggested.get(name, 0.01))),
            )
    c1, c2 = st.columns(2)
    x0 = c1.slider(
        t("optimizers.controls.start_x"),
        *surface.x_range,
        step=0.05,
        key=remember(f"opt_x0_{surface.name}", float(surface.start[0])),
    )
    y0 = c2.slider(
        t("optimizers.controls.start_y"),
        *surface.y_range,
        step=0.01,
        key=remember(f"opt_y0_{surface.name}", float(surface.start[1])),
    )
    return OptimizerSettings(surface, rates, (float(x0), float(y0)), int(steps))


@functools.lru_cache(maxsize=32)
def _paths(
    surface: str, rates: tuple[tuple[str, float], ...], steps: int, start: tuple[float, float]
):
    return tuple(compare(SURFACES[surface], dict(rates), steps, start))


def paths_for(settings: OptimizerSettings) -> list[OptimizerPath]:
    """The optimizers' paths for these settings.

    Cached (per process) because the replay slider reruns the page without
    changing any of them; the paths are deterministic and never modified.
    """
    rates = tuple(settings.learning_rates.items())
    return list(_paths(settings.surface.name, rates, settings.steps, settings.start))


def replay_ui(steps: int) -> int:
    """Slider to replay the paths step by step; returns how many steps to show."""
    return int(
        st.slider(
            t("optimizers.controls.replay"), 0, steps, key=remember(f"opt_show_{steps}", steps)
        )
    )
