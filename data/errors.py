"""Exceptions the data package raises on purpose (both are ValueErrors)."""

from __future__ import annotations


class DataFormatError(ValueError):
    """A data file is malformed; the message is written for a student.

    It names the row (1-based, as a spreadsheet shows it) and/or the column
    so the student can open the file and fix it.
    """


class BlankDrawingError(ValueError):
    """The drawing has (almost) no ink, so there is nothing to recognise."""
