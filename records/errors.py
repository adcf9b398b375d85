"""One exception type for domain rule violations; views turn it into a translated message."""

from __future__ import annotations

from typing import Any


class RecordsError(Exception):
    """A domain rule was violated. `code` is stable for API clients; `message` is translated."""

    def __init__(self, code: str, message: Any, **params: Any) -> None:
        self.code = code
        self.params = params
        self.template = message
        super().__init__(str(message) % params if params else str(message))

    @property
    def message(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)


class NotFoundOrForbidden(RecordsError):
    """The object does not exist or the user may not see it (the two are not told apart)."""


class ConcurrentEdit(RecordsError):
    """Someone else changed the object since it was loaded."""
