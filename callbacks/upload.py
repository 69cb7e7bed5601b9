"""Ladda upp."""

from __future__ import annotations

from flask_login import current_user

from callbacks.routing import Page
from layouts.upload import upload_page


def build_upload(session, flt, params):
    return upload_page(current_user.can_edit)


PAGES = [Page("/ladda-upp", build_upload)]


def register(app) -> None:
    """No callbacks of its own yet: the router draws the page."""
