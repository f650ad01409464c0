"""The read-only view of a live run that `LiveRun.borrow()` gives for one with-block."""

from __future__ import annotations

from typing import Any


class BorrowedRun:
    """A still, read-only view of a live run, valid only inside its `borrow()` block.

    Attribute reads go to the run; using the view after the block raises, so
    a view kept by mistake can never read a model mid-update.
    """

    __slots__ = ("_run", "_open")

    def __init__(self, run: Any) -> None:
        object.__setattr__(self, "_run", run)
        object.__setattr__(self, "_open", True)

    def __getattr__(self, name: str) -> Any:
        if not self._open:
            raise RuntimeError(
                f"A borrowed run was used after its with-block (reading .{name}); borrow it again."
            )
        return getattr(self._run, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"A borrowed run is read-only (setting .{name}); change it through its LiveRun."
        )

    def _close(self) -> None:
        object.__setattr__(self, "_open", False)
