"""A small TOML writer for routing tables (strings, booleans, numbers, lists, inline tables)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vss_care_core.errors import InvalidInputError

__all__ = ["table_to_toml"]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise InvalidInputError(
        f"cannot write a {type(value).__name__} as TOML: give text, numbers, booleans, lists "
        "or mappings"
    )


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def table_to_toml(document: Mapping[str, Any]) -> str:
    """TOML text for ``{"default": ..., "topics": [...], "rules": [{...}, ...]}``."""
    lines: list[str] = []
    for key, value in document.items():
        if key != "rules":
            lines.append(f"{_key(key)} = {_value(value)}")
    for rule in document.get("rules", ()):
        lines.append("")
        lines.append("[[rules]]")
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in rule.items())
    return "\n".join(lines).lstrip("\n") + "\n"
