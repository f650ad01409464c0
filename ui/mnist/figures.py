"""Figures and images for the MNIST lab: probabilities, preprocessing steps, weights, galleries.

Pure functions (numpy / Plotly in, image arrays / figures out), so they test
without a server. Digit images are returned as uint8 arrays already enlarged
with nearest-neighbour pixels: a browser scaling a 28x28 image up blurs the
very pixels a student is meant to see.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from ui.i18n import ENGLISH, Translator
from ui.palette import BLUE, DIVERGING, ORANGE

DIGITS = [str(d) for d in range(10)]


def probability_figure(
    probs: np.ndarray, height: int = 260, *, tr: Translator = ENGLISH
) -> go.Figure:
    """Bar chart of P(digit) for 0-9, the most likely digit highlighted and labelled.

    Built from a plain dict without Plotly's property validation: this chart is
    redrawn after every stroke, and validation was most of its cost (~30 ms of
    ~35 ms on a busy 2-core machine). The spec is fixed and covered by tests.
    """
    p = np.asarray(probs, dtype=float).reshape(-1)
    if p.shape != (10,):
        raise ValueError(f"Expected 10 probabilities, got {p.shape[0]}.")
    best = int(p.argmax())
    bar = {
        "type": "bar",
        "x": DIGITS,
        "y": p.tolist(),
        "marker": {"color": [ORANGE if i == best else BLUE for i in range(10)]},
        "text": [f"{v:.0%}" if v >= 0.01 else "" for v in p],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": tr("mnist.figures.probability_hover"),
    }
    layout = {
        "title": {"text": tr("mnist.figures.probability_title", best=best)},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "showlegend": False,
        "xaxis": {"title": {"text": tr("mnist.figures.digit_axis")}, "type": "category"},
        "yaxis": {
            "title": {"text": tr("mnist.figures.probability_axis")},
            "range": [0, 1.12],
            "tickformat": ".0%",
        },
    }
    return go.Figure({"data": [bar], "layout": layout}, _validate=False)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A float 0..1 or uint8 0..255 gray image as uint8 0..255."""
    a = np.asarray(image)
    if a.dtype == np.uint8:
        return a
    return np.clip(np.round(a.astype(np.float64) * 255), 0, 255).astype(np.uint8)


def enlarge(image: np.ndarray, size: int) -> np.ndarray:
    """Scale a gray image so its longer side is about `size` px, with crisp square pixels.

    Images larger than `size` are shrunk smoothly instead (the raw 280 px drawing).
    An empty (0x0) image becomes a size x size black square.
    """
    a = to_uint8(image)
    if a.size == 0:
        return np.zeros((size, size), np.uint8)
    h, w = a.shape
    factor = size / max(h, w)
    new = (max(1, round(w * factor)), max(1, round(h * factor)))
    resample = Image.Resampling.NEAREST if factor >= 1 else Image.Resampling.BOX
    return np.asarray(Image.fromarray(a).resize(new, resample))


def framed(image: np.ndarray, size: int, border: int = 1) -> np.ndarray:
    """`enlarge` then centre on a size x size black field with a grey border, so steps line up."""
    a = enlarge(image, size - 2 * border)
    field = np.full((size, size), 90, np.uint8)  # the grey frame shows where the image ends
    field[border:-border, border:-border] = 0
    top, left = (size - a.shape[0]) // 2, (size - a.shape[1]) // 2
    field[top : top + a.shape[0], left : left + a.shape[1]] = a
    return field


def step_images(
    steps, size: int = 112, *, tr: Translator = ENGLISH
) -> list[tuple[np.ndarray, str]]:
    """The four preprocessing stages of data.digits.DigitSteps as (image, caption) pairs.

    White ink on black, as the model sees it; every image is size x size.
    """

    def shape(image: np.ndarray) -> str:
        if not image.size:
            return ""
        return tr("mnist.figures.step_size", w=image.shape[1], h=image.shape[0])

    ink = steps.ink
    return [
        (framed(ink, size), tr("mnist.figures.step_drawing") + shape(ink)),
        (framed(steps.cropped, size), tr("mnist.figures.step_cropped") + shape(steps.cropped)),
        (framed(steps.fitted, size), tr("mnist.figures.step_fitted") + shape(steps.fitted)),
        (framed(steps.centred, size), tr("mnist.figures.step_centred")),
    ]


def tile_mosaic(tiles: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """(n, h, w) tiles in a grid with `cols` columns, NaN in the gaps (Plotly leaves NaN blank)."""
    t = np.asarray(tiles, dtype=np.float64)
    n, h, w = t.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = t[i]
    return out


def weights_figure(tiles: np.ndarray, title: str, cols: int = 8, tile_px: int = 75) -> go.Figure:
    """Weight tiles (first-layer units as 28x28 images, or conv filters) on a blue-white-orange scale.

    Each tile is scaled by its own largest |weight|, so every unit's pattern
    is visible; orange = positive weight (ink there excites the unit), blue = negative.
    """
    t = np.asarray(tiles, dtype=np.float64)
    peak = np.abs(t).reshape(len(t), -1).max(axis=1)
    t = t / np.where(peak > 0, peak, 1.0)[:, None, None]
    mosaic = tile_mosaic(t, cols)
    n_cols = min(cols, len(t))
    n_rows = -(-len(t) // n_cols)
    fig = go.Figure(
        go.Heatmap(
            z=mosaic,
            zmin=-1,
            zmax=1,
            colorscale=DIVERGING,
            showscale=True,
            colorbar=dict(title="w / max|w|", thickness=12),
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(
        title=title, height=min(900, 60 + n_rows * tile_px), margin=dict(l=10, r=10, t=40, b=10)
    )
    return fig


def examples_figure(
    images: np.ndarray, labels: list[str], title: str, tile_px: int = 62
) -> go.Figure:
    """Gray images (n, h, w) side by side, ink dark on white, each labelled under it."""
    t = np.asarray(images, dtype=np.float64)
    t = t / 255.0 if t.max(initial=0) > 1 else t
    h, w = t.shape[1:] if t.ndim == 3 else (28, 28)
    mosaic = tile_mosaic(t, cols=max(1, len(t)), gap=4) if len(t) else np.full((h, w), np.nan)
    centres = [i * (w + 4) + (w - 1) / 2 for i in range(len(t))]
    return go.Figure(
        data=[
            dict(
                type="heatmap",
                z=mosaic,
                zmin=0,
                zmax=1,
                colorscale="Greys",
                showscale=False,
                hoverinfo="skip",
            )
        ],
        layout=dict(
            title=dict(text=title),
            height=tile_px + 100,
            margin=dict(l=10, r=10, t=40, b=30),
            xaxis=dict(tickvals=centres, ticktext=list(labels), showgrid=False, zeroline=False),
            yaxis=dict(visible=False, autorange="reversed", scaleanchor="x"),
        ),
    )
