"""What Pinterest's tag writes to the browser console, as recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["TagMessage", "TAG_STANDARD_EVENTS"]

# The tag's own list, in its order; names are compared lower-cased.
TAG_STANDARD_EVENTS = (
    "pagevisit", "viewcategory", "search", "addtocart", "checkout", "watchvideo", "signup", "lead",
    "custom", "externalmeasurement", "addpaymentinfo", "addtowishlist", "initiatecheckout",
    "subscribe", "viewcontent", "contact", "schedule", "findlocation", "customizeproduct",
    "submitapplication", "starttrial",
)  # fmt: skip

_ERROR = "Pinterest Tag Error: "
_WARNING = "Pinterest Tag Warning: "

# code → (level, the tag's format string); %s are filled from TagMessage.args
TEMPLATES: dict[str, tuple[Literal["error", "warning"], str]] = {
    "not-loaded-track": (
        "error",
        "'load' command was not called before 'track'.  Did you install the base code?",
    ),
    "not-loaded-page": (
        "error",
        "'page' command was called without first calling the 'load' command.  Forthcoming Pinterest tag events may fail.",
    ),
    "load-twice": (
        "error",
        "'load' command was called multiple times.  Previously for tag id '%s', now for tag id '%s'.",
    ),
    "wrong-type": ("error", "Expected '%s' to be a %s, but found '%s'"),
    "not-an-integer": ("error", "Expected '%s' to be an integer, but found '%s'"),
    "unsupported-command": ("error", "'%s' is not a supported pintrk command. Expected one of [%s]"),
    "non-standard-event": (
        "warning",
        "'%s' is not a standard event name. You may use it to build audiences, but conversion reporting "
        "will not be available. Standard event names are: [%s]",
    ),
    "advertiser-id": (
        "warning",
        "The Pinterest Tag is configured with an advertiser ID instead of a tag ID. "
        "Please update your installation with the correct Pinterest Tag ID.",
    ),
    "page-options": (
        "warning",
        "Unexpected value passed to page command. Please consult the Pinterest Tag Guide for correct notation.",
    ),
}


@dataclass(frozen=True)
class TagMessage:
    """One console message of the tag, caused by the pintrk call ``command_index``."""

    command_index: int
    code: str  # a key of TEMPLATES
    args: tuple[str, ...] = ()

    @property
    def level(self) -> Literal["error", "warning"]:
        return TEMPLATES[self.code][0]

    @property
    def template(self) -> str:
        prefix = _ERROR if self.level == "error" else _WARNING
        return prefix + TEMPLATES[self.code][1]

    @property
    def text(self) -> str:
        """The message with its values filled in, as a person reads it."""
        pieces = self.template.split("%s")
        filled = [pieces[0]]
        for i, piece in enumerate(pieces[1:]):
            filled += (self.args[i] if i < len(self.args) else "%s", piece)
        return "".join(filled)

    @property
    def console(self) -> tuple[str, str]:
        """``(type, text)`` as Chromium records it: the format string, then the arguments."""
        kind = "info" if self.level == "error" else "warning"  # the tag logs errors with console.info
        return kind, " ".join((self.template, *self.args))

    def to_dict(self) -> dict[str, object]:
        return {"after_call": self.command_index, "level": self.level, "code": self.code, "text": self.text}
