"""Do the pad's preprocessing and the pretrained models read digits drawn off-centre, small, large or thick?

MNIST test digits (the 10k validation set, never trained on) are re-drawn
onto a 280x280 transparent canvas, the way the pad sends a drawing:

- scale: uniform 0.5-1.6x, where 1.0x makes the digit's ink box 140 px tall
  (half the pad), so 0.5x is 70 px and 1.6x is 224 px;
- position: uniform over every spot where the whole digit fits;
- stroke thickness: the strokes are thinned or thickened by a disk of
  radius -4..+8 px (a 1.0x MNIST stroke is ~17 px wide, so ~9 to ~33 px),
  like a thin pen, the pad's 20 px pen, or a marker.

Each canvas then goes through data.digits.canvas_to_mnist and the model, as
on the page. Run: `python bench/robustness.py [--n 2000] [--seed 0] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import data  # noqa: E402
from data.digits import canvas_to_mnist  # noqa: E402
from models import load_model_file, predict  # noqa: E402

CANVAS = 280
BASE_HEIGHT = 140
SCALE = (0.5, 1.6)
THICKNESS = (-4, 8)
GOALS = {"mlp": 0.95, "cnn": 0.96}


def _disk(radius: int) -> np.ndarray:
    r = abs(radius)
    y, x = np.ogrid[-r : r + 1, -r : r + 1]
    return x * x + y * y <= r * r


def redraw(digit: np.ndarray, scale: float, thickness: int, rng: np.random.Generator) -> np.ndarray:
    """One 28x28 uint8 MNIST digit as a 280x280 RGBA pad drawing (black ink, alpha = ink)."""
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    ink = digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    factor = BASE_HEIGHT * scale / max(ink.shape)
    size = (max(1, round(ink.shape[1] * factor)), max(1, round(ink.shape[0] * factor)))
    big = np.asarray(Image.fromarray(ink).resize(size, Image.Resampling.BILINEAR))
    if thickness > 0:
        big = ndimage.grey_dilation(big, footprint=_disk(thickness))
    elif thickness < 0:
        thinner = ndimage.grey_erosion(big, footprint=_disk(thickness))
        big = thinner if thinner.max() > 0 else big  # never erase a digit completely
    h, w = big.shape
    top = int(rng.integers(0, CANVAS - h + 1))
    left = int(rng.integers(0, CANVAS - w + 1))
    canvas = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    canvas[top : top + h, left : left + w, 3] = big
    return canvas


def redrawn_set(
    n: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """n random validation digits, preprocessed from their re-drawn canvases.

    Returns (model inputs (n, 28, 28) uint8, labels, the original 28x28 digits, the drawing parameters).
    """
    ds = data.load("mnist")
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(ds.y_valid), size=n, replace=False)
    scales = rng.uniform(*SCALE, size=n)
    thick = rng.integers(THICKNESS[0], THICKNESS[1] + 1, size=n)
    X = np.empty((n, 28, 28), np.uint8)
    for k, i in enumerate(idx):
        X[k] = canvas_to_mnist(redraw(ds.X_valid[i], scales[k], int(thick[k]), rng))
    return X, ds.y_valid[idx], ds.X_valid[idx], {"scale": scales, "thickness": thick}


def by_bucket(correct: np.ndarray, values: np.ndarray, edges: list[float]) -> dict[str, float]:
    """Accuracy per interval of a drawing parameter."""
    out = {}
    for lo, hi in zip(edges[:-1], edges[1:], strict=False):
        mask = (values >= lo) & (values < hi)
        if mask.any():
            out[f"{lo:g}..{hi:g}"] = round(float(correct[mask].mean()), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    """Evaluate both pretrained models; print a table (or JSON); exit 1 if a goal is missed."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    X, y, original, params = redrawn_set(args.n, args.seed)
    prep_seconds = time.perf_counter() - t0
    results = {"n": args.n, "seed": args.seed, "preprocess_seconds": round(prep_seconds, 2)}
    for kind in ("mlp", "cnn"):
        model, _ = load_model_file(ROOT / "models" / "pretrained" / f"mnist_{kind}.pth")
        correct = predict(model, X) == y
        results[kind] = {
            "accuracy": round(float(correct.mean()), 4),
            "goal": GOALS[kind],
            "accuracy_original_28x28": round(float((predict(model, original) == y).mean()), 4),
            "by_scale": by_bucket(correct, params["scale"], [0.5, 0.8, 1.1, 1.4, 1.61]),
            "by_thickness_px": by_bucket(correct, params["thickness"], [-4, -1, 2, 5, 9]),
        }
    if args.json:
        print(json.dumps(results))
    else:
        print(
            f"{args.n} re-drawn validation digits (seed {args.seed}), preprocessing {prep_seconds:.1f} s"
        )
        for kind in ("mlp", "cnn"):
            r = results[kind]
            print(
                f"{kind}: {r['accuracy']:.2%} re-drawn (goal {r['goal']:.0%}), "
                f"{r['accuracy_original_28x28']:.2%} on the same digits as given; "
                f"by scale {r['by_scale']}; by thickness {r['by_thickness_px']}"
            )
    return 0 if all(results[k]["accuracy"] >= GOALS[k] for k in GOALS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
