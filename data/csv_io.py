"""Reading an uploaded or local CSV safely: size limit, decoding, naming cells."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import DataFormatError

MB = 1024 * 1024


def display_name(file: Any) -> str:
    """A short name for messages: the file name of a path or an UploadedFile."""
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    name = getattr(file, "name", None)
    return Path(name).name if isinstance(name, str) and name else "the file"


def _too_big(name: str, size: int | None, max_bytes: int) -> DataFormatError:
    limit_mb = max_bytes / MB
    if size is None:
        return DataFormatError(
            "file_too_large",
            f"{name} is larger than the {limit_mb:.3g} MB limit.",
            name=name,
            limit_mb=limit_mb,
        )
    return DataFormatError(
        "file_too_large_size",
        f"{name} is {size / MB:.3g} MB, larger than the {limit_mb:.3g} MB limit.",
        name=name,
        size_mb=size / MB,
        limit_mb=limit_mb,
    )


def read_limited(file: Any, max_bytes: int) -> bytes:
    """Return the bytes of a path, bytes object or binary file-like object.

    Raises DataFormatError if the file is missing or over `max_bytes`; reads at
    most max_bytes + 1 bytes so an oversized upload is never fully loaded.
    """
    name = display_name(file)
    if isinstance(file, bytes | bytearray | memoryview):
        raw = bytes(file)
    elif isinstance(file, str | os.PathLike):
        try:
            size = os.path.getsize(file)
            if size > max_bytes:
                raise _too_big(name, size, max_bytes)
            with open(file, "rb") as f:
                raw = f.read(max_bytes + 1)
        except OSError as exc:
            reason = str(exc.strerror or exc)
            raise DataFormatError(
                "file_cannot_open", f"Cannot open {name}: {reason}.", name=name, reason=reason
            ) from None
    elif hasattr(file, "read"):
        # An UploadedFile may already have been read once by the page.
        if hasattr(file, "seek"):
            try:
                file.seek(0)
            except (OSError, ValueError):
                pass
        raw = file.read(max_bytes + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    else:
        raise TypeError(f"Expected a path or a binary file object, got {type(file).__name__}.")
    if len(raw) > max_bytes:
        size = getattr(file, "size", None)
        raise _too_big(name, size if isinstance(size, int) else None, max_bytes)
    return raw


def decode_text(raw: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Big5/CP950, else Latin-1.

    CP950 is tried because spreadsheets saved on Traditional Chinese Windows use it.
    """
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def short_text(value: Any, limit: int = 30) -> str:
    """A cell value as text for a message, shortened if long (the `value` param of an error)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(value: Any, limit: int = 30) -> str:
    """A cell value quoted for a message, shortened if long."""
    return repr(short_text(value, limit))


def separator(first_line: str) -> str | None:
    """ "semicolons" or "tabs" when a file looks separated by them instead of commas, else None."""
    for sep, label in ((";", "semicolons"), ("\t", "tabs")):
        if sep in first_line and "," not in first_line:
            return label
    return None


def delimiter_hint(first_line: str) -> str:
    """A hint when a file looks semicolon- or tab-separated instead of comma-separated."""
    label = separator(first_line)
    if label is None:
        return ""
    return f" The file seems to use {label} between values; save it as comma-separated CSV."
