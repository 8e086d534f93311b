"""The reproduction blueprint: the playground's scenario saved as a reproduction file (.json).

The playground's "Save reproduction" button posts its form here; a link (``?s=``) saves the
scenario it holds. Opening a reproduction is one of the playground's form actions
(``reproduction_state.open_reproduction``).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from . import errors
from .fields import field_label
from .forms import PlaygroundForm, state_from_values, values_from_form
from .linked import outcome_from_link
from .pages import attachment
from .playground_page import render_playground
from .reproduction_state import SaveError, save_text

__all__ = ["bp"]

bp = Blueprint("reproduction", __name__)


@bp.get("/reproduction")
@bp.post("/reproduction")
def save() -> Response:
    values = None
    if request.method == "POST":
        values = values_from_form(PlaygroundForm())
        state = state_from_values(values)
        outcome = state.run()
    else:
        opened = outcome_from_link(request.args.get("s", ""))
        if isinstance(opened, Response):
            return opened
        state, outcome = opened
    try:
        text = save_text(state, outcome)
    except SaveError as exc:
        if values is None:
            return errors.error_page(
                400,
                f"The reproduction was not saved: {exc.message} Open the playground from this link, fix it, then save again.",
            )
        # The posted form comes back as it was, with the reason next to the save button.
        return render_playground(
            values,
            state=state,
            outcome=outcome,
            extra_errors={
                "reproduction": [
                    f"The reproduction was not saved: {exc.message} Fix it above ({field_label(exc.field)}), then save again."
                ]
            },
            notice=f"The reproduction was not saved: {exc.message}",
            notice_kind="error",
        )
    return attachment(text, "application/json", "pintrk-reproduction.json")
