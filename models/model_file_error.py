"""The error every model-file problem raises, in a module of its own.

Both the file reader (models/persistence.py) and the plain-state_dict matcher
(models/state_dict_match.py, which persistence imports) raise it, so it can
live in neither without an import cycle.
"""

from __future__ import annotations

from data.errors import CodedError


class ModelFileError(CodedError):
    """A model file that can't be used, with a message a student can act on (and a code)."""
