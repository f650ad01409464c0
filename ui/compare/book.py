"""One lab's kept runs for one session: the current run's record, the kept ones, pins, the chart's picks.

A LabSession holds one CompareBook (ui.state). The current run's record is
keyed by its LiveRun's generation (a counter that changes whenever the run is
replaced), so redraws update one entry instead of adding one, and a run
replaced by a new Train, a Reset or an upload stays as it last stood.
No streamlit here: ui/compare/runs.py does the session's side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.run_record import MAX_KEPT, RunRecord, keep_last

MAX_ON_CHART = 5
"""Runs drawn on one chart, the current one included."""


@dataclass
class CompareBook:
    """The records of one lab's runs in this session, oldest first, at most MAX_KEPT."""

    records: list[RunRecord] = field(default_factory=list)
    next_number: int = 1
    current_generation: int | None = None
    """The LiveRun generation whose run the last record describes (None: no current record)."""
    shown: list[int] = field(default_factory=list)
    """Numbers of the kept runs drawn beside the current one, in the order they were picked."""
    auto_shown: int | None = None
    """The run shown because it was the one just replaced (like the old dotted line)."""
    autostart: bool = False
    """Train with the page's (newly applied) settings on the next script run (start_comparison)."""
    weights_at: tuple | None = None
    """(generation, step) of the weights last stored in the current pinned record."""

    # ----------------------------------------------------------- reading
    def get(self, number: int) -> RunRecord | None:
        """The record numbered `number`, if it is still kept."""
        return next((r for r in self.records if r.number == number), None)

    @property
    def current(self) -> RunRecord | None:
        """The current run's record (None before its first epoch, or after a Reset)."""
        if self.current_generation is None or not self.records:
            return None
        return self.records[-1]

    @property
    def kept(self) -> list[RunRecord]:
        """The records of earlier runs (every one but the current), oldest first."""
        current = self.current
        return [r for r in self.records if r is not current]

    @property
    def pinned(self) -> list[RunRecord]:
        """Pinned records, oldest first."""
        return [r for r in self.records if r.pinned]

    def shown_records(self) -> list[RunRecord]:
        """The kept runs picked for the chart, oldest first."""
        kept = {r.number: r for r in self.kept}
        return [kept[n] for n in sorted(self.shown) if n in kept]

    # ----------------------------------------------------------- changes
    def upsert(self, generation: int, record_for) -> RunRecord:
        """Put the current run's record, `record_for(number)`, in place of its older one (or add it)."""
        if self.current_generation == generation and self.records:
            old = self.records[-1]
            self.records[-1] = record_for(old.number, old.pinned, old.model_bytes)
            return self.records[-1]
        self.current_generation = generation
        number = self.next_number
        self.next_number += 1
        self.records.append(record_for(number, False, None))
        self._trim()
        return self.records[-1]

    def replace(self, record: RunRecord) -> None:
        """Swap in a changed copy of a kept record (same number)."""
        self.records = [record if r.number == record.number else r for r in self.records]

    def detach_current(self) -> RunRecord | None:
        """The current run was replaced: its record becomes a kept one; returns it."""
        record = self.current
        self.current_generation, self.weights_at = None, None
        if record is None:
            return None
        if record.pinned:
            self.show(record.number)
        elif not self.pinned:
            # Nothing pinned: the run just replaced is drawn beside the next, as before pins.
            if self.auto_shown is not None and self.auto_shown in self.shown:
                self.shown.remove(self.auto_shown)
            self.show(record.number)
            self.auto_shown = record.number
        return record

    def show(self, number: int) -> None:
        """Add a kept run to the chart, dropping the oldest unpinned pick when it is full."""
        if number in self.shown:
            return
        self.shown.append(number)
        while len(self.shown) > MAX_ON_CHART - 1:
            pinned = {r.number for r in self.pinned}
            drop = next((n for n in self.shown if n not in pinned), self.shown[0])
            self.shown.remove(drop)

    def set_shown(self, numbers: list[int]) -> None:
        """The student's own pick of kept runs for the chart (at most MAX_ON_CHART - 1)."""
        self.shown = [n for n in numbers if self.get(n) is not None][: MAX_ON_CHART - 1]
        if self.auto_shown not in self.shown:
            self.auto_shown = None

    def _trim(self) -> None:
        self.records = keep_last(self.records)
        numbers = {r.number for r in self.records}
        self.shown = [n for n in self.shown if n in numbers]


__all__ = ["MAX_KEPT", "MAX_ON_CHART", "CompareBook"]
