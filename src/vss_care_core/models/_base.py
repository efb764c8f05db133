"""The shared configuration of every model: frozen, strict about unknown fields, discreet."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict

__all__ = ["CareModel", "new_id"]


def new_id() -> str:
    """A new random identifier (32 hexadecimal characters, 128 random bits)."""
    return os.urandom(16).hex()


class CareModel(BaseModel):
    """Base of the library's models: immutable, unknown fields refused.

    Validation errors never echo the input (``hide_input_in_errors``): inputs may be personal data.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        str_strip_whitespace=True,
        validate_default=False,
    )
