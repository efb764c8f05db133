"""``vss-care diagram``: the standard processes as Mermaid or Graphviz source."""

from __future__ import annotations

import argparse
from typing import Any

from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS, to_dot, to_mermaid

__all__ = ["register"]

_PROCESSES = {"call": CALL_PROCESS, "written": WRITTEN_PROCESS}


def register(subparsers: Any) -> None:
    """Add ``diagram``."""
    diagram = subparsers.add_parser(
        "diagram",
        help="print a standard process as Mermaid or Graphviz source",
        description=(
            "Print a standard process as Mermaid or Graphviz (DOT) source, drawn from its "
            "transition table: every step, pause state, outcome and move."
        ),
    )
    diagram.add_argument("process", choices=sorted(_PROCESSES), help="which process")
    diagram.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (default) or dot (Graphviz)",
    )
    diagram.add_argument(
        "--lang",
        choices=("both", "vi", "en"),
        default="both",
        help="labels in Vietnamese and English (both, the default), in Vietnamese or in English",
    )
    diagram.set_defaults(handler=_diagram)


def _diagram(args: argparse.Namespace) -> int:
    definition = _PROCESSES[args.process]
    if args.format == "dot":
        print(to_dot(definition, lang=args.lang), end="")
    else:
        print(to_mermaid(definition, lang=args.lang), end="")
    return 0
