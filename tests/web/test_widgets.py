"""The faster widgets write exactly what WTForms' own widgets write."""

from __future__ import annotations

from typing import Any

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import RadioField
from wtforms.widgets import html_params

from app.web.forms import PlaygroundForm, blank_values, form_for
from app.web.widgets import html_attributes
from tests.hostile import PAYLOADS

_keys = st.from_regex(r"(data_|aria_)?[a-z][a-z_]{0,12}", fullmatch=True)
_values = st.one_of(
    st.booleans(),
    st.integers(),
    st.text(),
    st.sampled_from(PAYLOADS),
    st.text().map(Markup),  # trusted markup: a raw " in it is still written as &quot;
)


@given(st.dictionaries(_keys, _values, max_size=8))
def test_attributes_match_wtforms(attributes: dict[str, Any]) -> None:
    assert html_attributes(**attributes) == html_params(**attributes)
    assert isinstance(html_attributes(**attributes), Markup)


def _hostile_values() -> dict[str, Any]:
    payload = "\"><script>alert(1)</script>&amp;'<!--"
    values = {name: payload if isinstance(value, str) else value for name, value in blank_values().items()}
    values.update(
        profile="sdk-v1",
        preset="identify-then-track",
        builder_method="page",
        enhanced_match=True,
        send_as_custom_event=True,
        mappings=[
            {"source": payload, "target": "Checkout", "missing": "from"},
            {"source": "", "target": "", "missing": ""},
        ],
        custom_properties=[{"path": payload, "missing": "properties"}],
    )
    return values


def _all_fields(form: Any) -> list[Any]:
    fields = []
    for field in form:
        if field.type == "FieldList":
            for row in field:
                fields.extend(row.form)
        else:
            fields.append(field)
    return fields


def test_every_control_of_the_form_renders_as_with_wtforms_widgets(app: Flask) -> None:
    attributes = {
        "placeholder": 'say "hi" <b>',
        "aria_describedby": "hint-x error-x",
        "class": "mono",
        "rows": 3,
    }
    with app.test_request_context("/"):
        for values in (blank_values(), _hostile_values()):
            form = form_for(values)
            for field in _all_fields(form):
                default_widget = type(field).widget
                assert field(**attributes) == default_widget(field, **attributes), field.name
                assert field() == default_widget(field), field.name
                if isinstance(field, RadioField):
                    for option in field:
                        assert option(id="x") == RadioField.option_widget(option, id="x"), option.id
                        assert option() == RadioField.option_widget(option), option.id


def test_the_form_uses_the_faster_widgets() -> None:
    # Guards the point of the module: a field added with WTForms' default widget is slow again.
    from app.web import widgets

    form_fields = PlaygroundForm.__dict__
    assert isinstance(form_fields["tag_id"].kwargs["widget"], widgets.TextInput)
    assert isinstance(form_fields["preset"].kwargs["widget"], widgets.Select)
