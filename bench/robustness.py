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
on the page (the re-drawing is lessons/robustness.py, which the MNIST lab's
Inspect tab uses too). Run: `python bench/robustness.py [--n 2000] [--seed 0]
[--json] [--mlp PATH] [--cnn PATH]` (the paths default to the shipped models).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import data  # noqa: E402
from lessons.robustness import by_bucket, redrawn_set  # noqa: E402
from models import load_model_file, predict  # noqa: E402

# Issue 14's goals for the shipped models.
GOALS = {"mlp": 0.975, "cnn": 0.985}


def main(argv: list[str] | None = None) -> int:
    """Evaluate both pretrained models; print a table (or JSON); exit 1 if a goal is missed."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    for kind in GOALS:
        p.add_argument(f"--{kind}", metavar="PATH", help=f"a {kind} model file to measure instead")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    ds = data.load("mnist")
    redrawn = redrawn_set(ds.X_valid, ds.y_valid, args.n, args.seed)
    X, y, original = redrawn.images, redrawn.labels, redrawn.originals
    prep_seconds = time.perf_counter() - t0
    results = {"n": args.n, "seed": args.seed, "preprocess_seconds": round(prep_seconds, 2)}
    for kind in ("mlp", "cnn"):
        path = getattr(args, kind) or ROOT / "models" / "pretrained" / f"mnist_{kind}.pth"
        model, _ = load_model_file(path)
        correct = predict(model, X) == y
        results[kind] = {
            "accuracy": round(float(correct.mean()), 4),
            "goal": GOALS[kind],
            "accuracy_original_28x28": round(float((predict(model, original) == y).mean()), 4),
            "by_scale": by_bucket(correct, redrawn.scale, [0.5, 0.8, 1.1, 1.4, 1.61]),
            "by_thickness_px": by_bucket(correct, redrawn.thickness, [-4, -1, 2, 5, 9]),
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
