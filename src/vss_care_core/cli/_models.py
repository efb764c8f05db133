"""``vss-care schema``, ``vss-care validate`` and ``vss-care provinces``: the models from the
command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pydantic import BaseModel, ValidationError

from vss_care_core import models
from vss_care_core.cli._common import input_file, name_of, read_input, user_terms
from vss_care_core.errors import InvalidInputError
from vss_care_core.inputs import describe_errors, kind_of, parse_json

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
    """Add ``schema``, ``validate`` and ``provinces``."""
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
    validate.add_argument(
        "file", type=input_file, help="a JSON file holding one inquiry ('-': stdin)"
    )
    validate.set_defaults(handler=_validate)
    provinces = subparsers.add_parser(
        "provinces",
        help="list the 34 provinces and cities an inquiry may name, with their former names",
    )
    provinces.set_defaults(handler=_provinces)


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMA_MODELS[args.model].model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _validate(args: argparse.Namespace) -> int:
    name = name_of(args.file)
    text = read_input(args.file)
    document = parse_json(text, name=name, what="one inquiry (a JSON object)")
    if not isinstance(document, dict):
        raise InvalidInputError(
            f"{name} holds {kind_of(document)}, not an object: write one inquiry as a JSON "
            "object, {...}"
        )
    try:
        inquiry = models.Inquiry.model_validate_json(text)
    except ValidationError as error:
        problems = describe_errors(error, document, models=(models.Inquiry,))
        print(f"{name}: {len(problems)} error(s)", file=sys.stderr)
        for problem in problems:
            print(f"  {user_terms(problem)}", file=sys.stderr)
        return 1
    print(inquiry.model_dump_json(indent=2))
    return 0


def _provinces(args: argparse.Namespace) -> int:
    del args
    print(
        f"{len(models.PROVINCES)} tỉnh, thành phố từ 1/7/2025 (trước đây: tỉnh cũ) / "
        f"{len(models.PROVINCES)} provinces and cities since 1 July 2025 (formerly):"
    )
    for province in models.PROVINCES:
        former = [name for name in models.province_info(province).former if name != province]
        print(f"  {province}" + (f"  ({', '.join(former)})" if former else ""))
    print(
        "Tên tỉnh cũ cũng được chấp nhận / A former name is accepted too: it stands for the "
        "province that absorbed it."
    )
    return 0
