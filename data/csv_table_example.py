"""The example table the "Your data" lab offers: 300 made-up fruits, regenerated from a seed.

`python -m data.csv_table_example` rewrites data/your_data_example.csv; a test
checks the shipped file is exactly what seed 0 gives. The numbers are invented
(no real measurements), so the file carries no licence beyond the project's.
Two targets make sense: `fruit` (three classes, named by text) and
`price_ntd` (a regression on weight, sweetness and the kind of fruit).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

EXAMPLE_CSV = Path(__file__).resolve().parent / "your_data_example.csv"
EXAMPLE_SEED = 0
EXAMPLE_ROWS = 300
COLUMNS = ("weight_g", "length_cm", "width_cm", "sweetness_brix", "fruit", "price_ntd")
# Per fruit: mean weight (g), length/width ratio, mean sweetness (°Brix), price per 100 g (NTD).
_FRUITS = {
    "orange": (200.0, 1.0, 11.0, 4.0),
    "guava": (280.0, 1.25, 9.0, 3.0),
    "mango": (380.0, 1.6, 15.0, 6.5),
}


def example_table_csv(seed: int = EXAMPLE_SEED, rows: int = EXAMPLE_ROWS) -> str:
    """The example CSV's text: a header row, then `rows` fruits in a seeded random order."""
    rng = np.random.default_rng(seed)
    names = list(_FRUITS)
    kinds = rng.integers(0, len(names), rows)
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for k in kinds:
        weight0, ratio0, brix0, price0 = _FRUITS[names[k]]
        weight = max(40.0, rng.normal(weight0, weight0 * 0.3))
        ratio = max(0.7, rng.normal(ratio0, 0.2))
        width = (weight / 0.55 / ratio) ** (1 / 3)  # a rough ellipsoid of density ~1
        brix = rng.normal(brix0, 2.5)
        price = weight / 100 * price0 * (1 + 0.04 * (brix - brix0)) + rng.normal(0, 1.5)
        cells = (
            f"{weight:.0f}",
            f"{width * ratio:.1f}",
            f"{width:.1f}",
            f"{brix:.1f}",
            names[k],
            f"{price:.1f}",
        )
        out.write(",".join(cells) + "\n")
    return out.getvalue()


if __name__ == "__main__":
    EXAMPLE_CSV.write_text(example_table_csv(), encoding="utf-8", newline="")
    print(f"wrote {EXAMPLE_CSV} ({EXAMPLE_ROWS} rows, seed {EXAMPLE_SEED})")
