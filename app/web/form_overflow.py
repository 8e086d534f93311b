"""A playground form read past its size limits: what did not fit, beside the field it belongs to.

``requests.py`` reads an over-large playground form as far as it safely can and records what did
not fit (``request.form_overflow``); this module words it for the page.
"""

from __future__ import annotations

from flask import request

from app.pintrk import size_text

from .fields import error_container, field_label

__all__ = ["form_overflow_errors"]


def form_overflow_errors() -> dict[str, list[str]]:
    """Field → what did not fit, for a playground form read past its limits (else ``{}``)."""
    overflow = getattr(request, "form_overflow", None)
    if overflow is None or not overflow.over:
        return {}
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(error_container(name), []).append(message)

    field_limit = size_text(overflow.field_limit) if overflow.field_limit else ""
    for name, size in overflow.cut.items():
        add(
            name,
            (
                f"{_subject(name)} {'at least ' if name == overflow.unfinished else ''}{size_text(size, digits=2)} as sent; the playground "
                f"accepts at most {field_limit} in one field. Only the first {field_limit} is kept here; the rest was "
                "not received. Shorten it, then try again."
            ),
        )
    if overflow.body_bytes > overflow.request_limit and not overflow.cut and not overflow.unread:
        largest = max(overflow.sizes, key=overflow.sizes.__getitem__, default=None)
        if largest is not None:
            add(
                largest,
                (
                    f"{_subject(largest)} the largest part of the form ({size_text(overflow.sizes[largest], digits=2)}); the whole form "
                    f"was {size_text(overflow.body_bytes, digits=2)}, more than the {size_text(overflow.request_limit)} the playground "
                    "accepts per request. Shorten it, then try again."
                    + (
                        " Choose the file again afterwards: browsers don't keep a chosen file."
                        if largest == "reproduction_file"
                        else ""
                    )
                ),
            )
    if overflow.unread:
        add(
            "__all__",
            (
                f"The form was larger than {size_text(overflow.body_bytes, digits=2)}, so the playground stopped reading it there: "
                "fields after that point are empty here."
            ),
        )
    if overflow.dropped_parts:
        add(
            "__all__",
            (
                f"The form had {overflow.dropped_parts:,} fields more than the {overflow.parts_limit:,} the playground "
                "accepts; those were not kept."
            ),
        )
    return errors


def _subject(name: str) -> str:
    """A message's start: "This field is" beside the field itself, else the field by name."""
    if error_container(name) == name:
        return "This field is"
    return f"{_label(name)} is"


def _label(name: str) -> str:
    if name == "reproduction_file":
        return "The chosen reproduction file"
    if name == "reproduction_text":
        return "The pasted reproduction"
    return f"The field “{field_label(name)}”" if error_container(name) == "__all__" else field_label(name)
