"""``vss-care schema`` and ``vss-care validate``: the models from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from vss_care_core import models

__all__ = ["SCHEMA_MODELS", "register"]

SCHEMA_MODELS: dict[str, type[BaseModel] | type[models.Event]] = {
    "Inquiry": models.Inquiry,
    "Individual": models.Individual,
    "Organization": models.Organization,
    "Attachment": models.Attachment,
    "Classification": models.Classification,
    "Answer": models.Answer,
    "Event": models.Event,
}
"""The models whose JSON Schema ``vss-care schema`` prints, by name."""


def register(subparsers: Any) -> None:
    """Add ``schema`` and ``validate``."""
    schema = subparsers.add_parser("schema", help="print the JSON Schema of a model")
    schema.add_argument(
        "model",
        nargs="?",
        default="Inquiry",
        choices=sorted(SCHEMA_MODELS),
        help="the model (default: Inquiry)",
    )
    schema.set_defaults(handler=_schema)
    validate = subparsers.add_parser(
        "validate", help="validate an inquiry in a JSON file; print its normal form or the errors"
    )
    validate.add_argument("file", type=Path, help="a JSON file holding one inquiry ('-': stdin)")
    validate.set_defaults(handler=_validate)


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMA_MODELS[args.model].model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    try:
        inquiry = models.Inquiry.model_validate_json(text)
    except ValidationError as error:
        print(f"{path}: {error.error_count()} error(s)", file=sys.stderr)
        for item in error.errors(include_input=False, include_url=False):
            where = ".".join(str(part) for part in item["loc"]) or "(document)"
            print(f"  {where}: {item['msg']}", file=sys.stderr)
        return 1
    print(inquiry.model_dump_json(indent=2))
    return 0
