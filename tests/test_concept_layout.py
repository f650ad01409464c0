"""The concept labs' shared style gives every figure "plotly_white", set unvalidated but equal."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import ui.concepts.layout as layout
from lessons.activation_stats import LAB_ORDER, autograd_curve
from lessons.loss_surfaces import SURFACES
from lessons.optimizer_paths import compare
from ui.concepts.activations.figures import activation_figure
from ui.concepts.convolution.figures import grid_figure
from ui.concepts.optimizers.figures import loss_curves_figure, paths_figure
from ui.concepts.universal_approximation.figures import fit_figure


def _validated(fig: go.Figure) -> go.Figure:
    """The route `style` replaced: Plotly validates (deep-copies) the named template."""
    return fig.update_layout(template="plotly_white")


def _builders():
    x = np.linspace(-2, 2, 20)
    surface = SURFACES["Bowl"]
    paths = compare(surface, dict(surface.suggested_lr[:2]), steps=10)
    return {
        "activations": lambda: activation_figure(
            {n: autograd_curve(n, -3, 3, n=20) for n in LAB_ORDER}
        ),
        "convolution grid": lambda: grid_figure(np.arange(9.0).reshape(3, 3), "grid"),
        "optimizer paths": lambda: paths_figure(surface, paths, upto=5, grid=20),
        "optimizer losses": lambda: loss_curves_figure(paths),
        "universal approximation": lambda: fit_figure(x, np.sin(x), x[:5], np.sin(x[:5]), x),
    }


FIGURES = (
    "activations",
    "convolution grid",
    "optimizer paths",
    "optimizer losses",
    "universal approximation",
)


def test_every_listed_figure_has_a_builder():
    assert set(_builders()) == set(FIGURES)


@pytest.mark.parametrize("name", FIGURES)
def test_every_concept_figure_is_what_the_validated_template_would_give(name, monkeypatch):
    build = _builders()[name]
    fast = build()
    monkeypatch.setattr(layout, "white_template", _validated)
    slow = build()
    assert fast.to_plotly_json() == slow.to_plotly_json()
    assert fast.layout.template.layout.plot_bgcolor == "white"


def test_the_shared_template_is_copied_into_each_figure_never_shared():
    before = pio.templates["plotly_white"].to_plotly_json()
    first = layout.style(go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), "first")
    first.layout.template.layout.font.size = 31  # a student's figure edited later
    second = layout.style(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "second")
    assert second.layout.template.layout.font.size is None
    assert pio.templates["plotly_white"].to_plotly_json() == before
    # Validation is back on: a wrong property still raises.
    with pytest.raises(ValueError):
        second.update_layout(not_a_property=1)


def test_a_template_given_to_style_wins():
    fig = layout.style(go.Figure(), template="plotly_dark")
    assert (
        fig.layout.template.layout.paper_bgcolor
        == pio.templates["plotly_dark"].layout.paper_bgcolor
    )
