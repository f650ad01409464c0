"""What the universal-approximation page draws, given the problem being fitted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from data import Dataset
from lessons.universal_approximation import DOMAIN, unit_contributions
from ui.concepts.universal_approximation.figures import compare_figure, fit_figure, units_figure
from ui.i18n import ENGLISH, Translator
from ui.language import translator

X_PLOT = np.linspace(*DOMAIN, 400)


@dataclass(frozen=True)
class Problem:
    """The data being fitted and, for a named target, the true curve on X_PLOT."""

    dataset: Dataset
    truth: np.ndarray | None
    points_mode: bool

    def fit(self, prediction: np.ndarray | None = None, tr: Translator = ENGLISH):
        """Target-and-fit figure for this problem."""
        ds = self.dataset
        return fit_figure(
            X_PLOT,
            self.truth,
            ds.X_train[:, 0],
            ds.y_train,
            prediction,
            self.points_mode,
            tr=tr,
        )


def target_view(problem: Problem) -> None:
    """The target alone, before any training."""
    st.plotly_chart(problem.fit(tr=translator()), key="ua_target_fig")


def live_fit_view(problem: Problem):
    """A live view for training_panel: the fit and every unit's contribution, side by side."""

    def draw(run) -> None:
        """Draw the run's current fit and unit contributions (in the session's language)."""
        tr = translator()
        contrib = unit_contributions(run.model, X_PLOT)
        c1, c2 = st.columns(2)
        c1.plotly_chart(problem.fit(contrib.total, tr=tr))
        c2.plotly_chart(units_figure(contrib, tr=tr))

    return draw


def compare_view(problem: Problem):
    """A draw function for compare_panel: small multiples of F(x), one per N."""

    def draw(models) -> None:
        """Draw F(x) of each (N, model, loss) in `models`."""
        fits = [(n, unit_contributions(model, X_PLOT).total, loss) for n, model, loss in models]
        ds = problem.dataset
        st.plotly_chart(
            compare_figure(
                X_PLOT,
                problem.truth,
                ds.X_train[:, 0],
                ds.y_train,
                fits,
                problem.points_mode,
                tr=translator(),
            )
        )

    return draw
