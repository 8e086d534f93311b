"""WTForms' widgets, with a faster way to write their attributes.

WTForms writes each attribute through ``Markup.format``, which costs about 30 µs per
text box; the playground page has some forty controls, so that alone was a third of
rendering it. These widgets use WTForms' own override points (``Input.html_params``,
``Select.render_option``) and :func:`html_attributes`, which gives byte for byte what
``wtforms.widgets.html_params`` gives (tests/web/test_widgets.py compares them).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

__all__ = [
    "html_attributes",
    "TextInput",
    "CheckboxInput",
    "HiddenInput",
    "PasswordInput",
    "RadioInput",
    "Select",
]


def html_attributes(**attributes: Any) -> Markup:
    """``wtforms.widgets.html_params``: sorted, ``True`` → bare name, ``False`` → left out."""
    parts = []
    for key, value in sorted(attributes.items()):
        name = escape(clean_key(key))
        if value is True:
            parts.append(name)
        elif value is not False:
            # escape() turns " into &#34; but leaves a Markup value as it is.
            text = str(escape(value)).replace('"', "&quot;")
            parts.append(f'{name}="{text}"')
    return Markup(" ".join(parts))


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_attributes)


class CheckboxInput(widgets.CheckboxInput):
    html_params = staticmethod(html_attributes)


class HiddenInput(widgets.HiddenInput):
    html_params = staticmethod(html_attributes)


class RadioInput(widgets.RadioInput):
    html_params = staticmethod(html_attributes)


class Select(widgets.Select):
    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        return Markup(f"<option {html_attributes(**options)}>{escape(choice.label or choice.value)}</option>")


class PasswordInput(widgets.PasswordInput):
    """A password box that shows its value: the form only ever holds a masked token (``<token>``)."""

    html_params = staticmethod(html_attributes)

    def __init__(self) -> None:
        super().__init__(hide_value=False)
