"""Whether a command's output file can be written, checked before the work that fills it.

`python -m models.train --save PATH` and `python -m models.export --out PATH` ask
this first: a training run of minutes must not end in a traceback because the
folder was mistyped. Only the standard library here, so the check costs the
CLI's fast start nothing (tests/test_cli_startup.py).
"""

from __future__ import annotations

import os
from pathlib import Path


def output_problem(
    path: str | Path, option: str, example: str, overwrite: bool = True
) -> str | None:
    """Why `path` cannot be written as a file, as one sentence naming `option`; None if it can.

    `example` is a file name to suggest when `path` is a folder; with `overwrite`
    False an existing file is a problem too (the caller offers --force).
    """
    target = Path(path)
    if target.is_dir():
        return f"{option} {path} is a folder; give a file path, e.g. {target / example}."
    folder = target.parent
    if not folder.is_dir():
        return (
            f"{option} {path}: the folder {folder} does not exist; "
            "create it first or choose another path."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{option} {path}: the folder {folder} is not writable; choose another path."
    if target.exists():
        if not overwrite:
            return (
                f"{path} already exists and was not overwritten; choose another {option}, "
                "or add --force to replace it."
            )
        if not os.access(target, os.W_OK):
            return f"{option} {path}: the file exists and is not writable; choose another path."
    return None
