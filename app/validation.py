"""Payload validation with pydantic, turned into :class:`pinnwand.errors.Invalid` (``fields``)."""

from __future__ import annotations

from typing import Annotated, TypeVar

from pinnwand.errors import Invalid
from pinnwand.safe_json import TOO_DEEP_MESSAGE, TooDeepPayload
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

M = TypeVar("M", bound=BaseModel)


class Payload(BaseModel):
    """Base of every request schema: strict types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def text(min_length: int, max_length: int):
    """A string trimmed first, then held to ``min_length``..``max_length`` characters and
    refused if it holds a NUL character (no database column can store one)."""
    return Annotated[
        str,
        BeforeValidator(_strip),
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_no_nul),
    ]


Name = text(1, 40)

# A client's id of one command, for idempotency (see pinnwand.board.operations): a UUID fits.
OpId = Annotated[str, StringConstraints(strip_whitespace=False, pattern=r"^[A-Za-z0-9_-]{8,64}$")]

# Ids and sequence numbers are 32-bit integer columns: anything larger cannot exist.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
SeqNumber = Annotated[int, Field(ge=0, le=MAX_ID)]


def parse(schema: type[M], data) -> M:
    """Validate ``data`` against ``schema`` or raise :class:`Invalid` naming each bad field."""
    if isinstance(data, TooDeepPayload):
        raise Invalid(TOO_DEEP_MESSAGE, {"": "nested too deeply"})
    if not isinstance(data, dict):
        raise Invalid("The payload must be a JSON object.", {"": "expected an object"})
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise Invalid("Some fields are not valid.", fields_of(exc)) from None


def fields_of(exc: ValidationError) -> dict[str, str]:
    """Map each failing location (dotted) to its first message."""
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in error["loc"]) or ""
        fields.setdefault(name, _message(error))
    return fields


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required"
    return error["msg"]
