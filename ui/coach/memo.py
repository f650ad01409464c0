"""What the coach last found for a lab's run, and when: diagnose costs something, so it is paced.

No streamlit here: ui.state keeps one CoachMemo per LabSession.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# While a run trains, diagnose runs at most this often (and only when the epoch changed): it
# holds the run still for 2-40 ms each time (models.diagnose's docstring).
COACH_SECONDS = 2.0


@dataclass
class CoachMemo:
    """The findings of one state of the run (generation, epoch, status), and when they were made."""

    key: tuple | None = None
    at: float | None = None
    findings: list[Any] = field(default_factory=list)
    error: BaseException | None = None
    """What diagnose raised for this state, if anything (the page goes on without the coach)."""
    rerun: bool = False
    """A coach button was clicked inside the live fragment: the next draw reruns the whole page."""

    def due(self, key: tuple, running: bool, now: float) -> bool:
        """True when the findings for `key` should be made now.

        While training: the epoch (or run) changed and COACH_SECONDS have passed
        since the last diagnosis. Otherwise: whenever the state changed.
        """
        if key == self.key:
            return False
        return not running or self.at is None or now - self.at >= COACH_SECONDS

    def store(
        self, key: tuple, findings: list[Any], now: float, error: BaseException | None = None
    ):
        """Remember the findings made for `key` at `now`."""
        self.key, self.findings, self.at, self.error = key, list(findings), now, error
