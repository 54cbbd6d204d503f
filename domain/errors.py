"""The one error type for a broken rule or a bad input.

Use cases and parsers raise `RuleError` with a Vietnamese text from the catalogue (and, where it
helps, choices to offer); only the conversation core and the CLI turn it into a message. Nothing
that raised it is kept: the unit of work rolls back.
"""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A rule was broken; `text` is the user-facing message, `choices` optional options."""

    def __init__(self, text: str, choices: tuple[Any, ...] = ()):
        super().__init__(text)
        self.text = text
        self.choices = tuple(choices)
