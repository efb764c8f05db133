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
        "diagram", help="print a standard process as Mermaid or Graphviz source"
    )
    diagram.add_argument("process", choices=sorted(_PROCESSES), help="which process")
    diagram.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (default) or dot (Graphviz)",
    )
    diagram.set_defaults(handler=_diagram)


def _diagram(args: argparse.Namespace) -> int:
    definition = _PROCESSES[args.process]
    render = to_dot if args.format == "dot" else to_mermaid
    print(render(definition), end="")
    return 0
