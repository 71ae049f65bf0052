"""Request schemas for signing in."""

from __future__ import annotations

from typing import Annotated

from pinnwand.validation import Payload, text
from pydantic import Field


class LoginIn(Payload):
    """A moderator signing in."""

    email: text(1, 254)
    password: Annotated[str, Field(min_length=1, max_length=1024)]
