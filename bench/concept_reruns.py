"""How long a concept page's rerun takes, with the white template set as shipped or validated.

    python bench/concept_reruns.py [--pages optimizers convolution] [--repeats 10]

Each page opens in AppTest (the server's whole script run, no browser) and reruns with
nothing changed, in pairs (A B B A) with `ui.concepts.layout.white_template` as shipped (the
registered template set without validation) and replaced by the route it replaced
(`update_layout(template="plotly_white")`, which deep-copies the template through Plotly's
validators). Prints, per page, the median rerun of each and their ratio, with the min-max
of the per-pair ratios, as one JSON line per page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/concept_reruns.py`

from streamlit.testing.v1 import AppTest  # noqa: E402

import ui.concepts.layout as layout  # noqa: E402
from lessons.registry import LABS  # noqa: E402

SHIPPED = layout.white_template


def validated(fig):
    """The route the shipped one replaced: Plotly validates the named template."""
    return fig.update_layout(template="plotly_white")


def concept_pages() -> list[str]:
    """The registry's concept labs' page names (pages/<name>.py)."""
    return [lab.name for lab in LABS if lab.section == "Concepts"]


def time_page(name: str, repeats: int) -> dict:
    """Median rerun seconds of pages/<name>.py with each route, alternating, `repeats` pairs."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.run()  # first run: imports, caches
    times = {"shipped": [], "validated": []}
    # A B B A: neither route always runs first in its pair.
    order = [("shipped", "validated"), ("validated", "shipped")]
    routes = [r for pair in range(repeats + 1) for r in order[pair % 2]]
    for i, route in enumerate(routes):
        layout.white_template = SHIPPED if route == "shipped" else validated
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception}")
        if i >= 2:  # one pair of warm-up
            times[route].append(elapsed)
    layout.white_template = SHIPPED
    pairs = [v / s for s, v in zip(times["shipped"], times["validated"], strict=True)]
    shipped, slow = statistics.median(times["shipped"]), statistics.median(times["validated"])
    return {
        "page": name,
        "shipped_ms": round(shipped * 1000, 1),
        "validated_ms": round(slow * 1000, 1),
        "validated_over_shipped": round(slow / shipped, 2),
        "pair_ratio_min_max": [round(min(pairs), 2), round(max(pairs), 2)],
    }


def main() -> None:
    """Parse the arguments and print one JSON line per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", nargs="+", default=None, help="pages/<name>.py (default: every concept lab)"
    )
    parser.add_argument("--repeats", type=int, default=10, help="pairs of reruns per page")
    args = parser.parse_args()
    for name in args.pages or concept_pages():
        print(json.dumps(time_page(name, args.repeats)), flush=True)


if __name__ == "__main__":
    main()
