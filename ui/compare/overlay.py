"""Which runs the live loss and metric charts draw: the current one and the kept runs picked for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.compare.book import CompareBook
from ui.compare.runs import compare_lab, sync
from ui.figures.compare import Curves, run_colours
from ui.i18n import Translator

if TYPE_CHECKING:
    from ui.live_run import BorrowedRun
    from ui.state import LabSession


def run_label(number: int, tr: Translator, current: bool = False) -> str:
    """ "Run 3", or "Run 3 (now)" for the current run, in `tr`'s language."""
    label = tr("compare.run", n=number)
    return tr("compare.current", label=label) if current else label


def chart_runs(session: LabSession, run: BorrowedRun, tr: Translator) -> list[Curves]:
    """Record the borrowed current run, then the runs to overlay: [] when only the current one shows.

    Called inside the live fragment's borrow, so the current run's record is
    as fresh as its curves.
    """
    if not compare_lab(session.key):
        return []
    sync(session, run, running=session.live.running)
    book: CompareBook = session.compare
    kept = book.shown_records()
    if not kept:
        return []
    current = book.current if book.current_generation == session.live.generation else None
    number = current.number if current is not None else book.next_number
    colours = run_colours([r.number for r in kept] + [number])
    curves = [Curves(run_label(r.number, tr), colours[r.number], r.epochs) for r in kept]
    curves.append(
        Curves(
            run_label(number, tr, current=True),
            colours[number],
            list(run.history.epochs),
            current=True,
        )
    )
    return curves
