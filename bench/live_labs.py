"""The labs bench/live_loop_speed.py trains: each page's default settings, replayed.

`path` is the page's URL, `tab` the tab holding its controls (if not the first), `dataset`
the data.load name where it isn't the lab's own, `load`, `model` and `train` the data.load /
ModelConfig / TrainConfig arguments of its defaults, and `toggles` / `sliders_home` the extra
controls the bench sets on the page before training.
"""

# Page defaults (kept in step with pages/*.py SPEC and the page's extra controls; the
# bench checks the epoch/step counts the page reports against the headless run).
LABS = {
    "xor": {
        "path": "/xor",
        "load": {"n_per_corner": 0, "noise": 0.0},
        "model": {"hidden": [3], "activation": "relu"},
        "train": {"optimizer": "adam", "lr": 3e-2, "batch_size": 4, "epochs": 300, "seed": 1},
    },
    "iris": {
        "path": "/iris",
        "load": {"split": "recommended"},
        "model": {"hidden": [16], "activation": "relu"},
        "train": {"optimizer": "adam", "lr": 1e-2, "batch_size": 16, "epochs": 100, "seed": 0},
    },
    "boston": {
        "path": "/boston",
        "load": {
            "split": "recommended",
            "features": [
                "CRIM",
                "ZN",
                "INDUS",
                "CHAS",
                "NOX",
                "RM",
                "AGE",
                "DIS",
                "RAD",
                "TAX",
                "PTRATIO",
                "LSTAT",
            ],
        },
        "model": {"hidden": [64, 64], "activation": "relu"},
        "train": {
            "optimizer": "adam",
            "lr": 3e-3,
            "batch_size": 32,
            "epochs": 500,
            "seed": 0,
            "weight_decay": 1e-4,
            "early_stopping": 30,
        },
    },
    # The "Fast MLP" preset; its controls sit on the page's Train tab.
    "mnist": {
        "path": "/mnist",
        "tab": "Train",
        "load": {},
        "model": {"hidden": [128], "activation": "relu"},
        "train": {"optimizer": "adam", "lr": 1e-3, "batch_size": 64, "epochs": 5, "seed": 0},
    },
}

# XOR's network and training settings on the noisy cloud with the fewest points (5 per corner):
# at batch 1 and 2000 epochs it trains ~6 s headless, long enough for a steady rate. The 4 points
# train for ~2 s, so that row is mostly the start and the end of a run.
LABS["xor_cloud"] = {
    **LABS["xor"],
    "dataset": "xor",
    "load": {"n_per_corner": 5, "noise": 0.15},
    "toggles": ["Noisy cloud instead of the 4 points"],
    "sliders_home": ["Points per corner"],
}

# With --long these labs also train at their smallest batch size (1), since even at
# their most epochs they finish in 0.6-1.5 s: too short to read a rate while training.
SMALLEST_BATCH_WHEN_LONG = ("xor", "xor_cloud", "iris")
