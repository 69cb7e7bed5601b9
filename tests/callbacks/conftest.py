import pytest
from flask_login import login_user

from dashboard.auth import CurrentUser


@pytest.fixture
def as_user(app):
    """Run callback functions inside a request of a logged-in user with the given role."""

    def _as(role: str = "läsare", municipality: str | None = None):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        login_user(CurrentUser(id=1, username=f"test-{role}", role=role, municipality=municipality, token="t"))
        contexts.append(ctx)

    contexts = []
    yield _as
    for ctx in reversed(contexts):
        ctx.pop()
