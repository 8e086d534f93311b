"""The `playground` fixture: drive the playground form the way a browser without JavaScript does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.pages import Playground


@pytest.fixture
def playground(client: FlaskClient) -> Playground:
    return Playground(client)
