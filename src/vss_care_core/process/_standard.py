"""The two standard processes VSS publishes: the 7-step call and the 5-step written process.

The official step names are not published; the steps here are this library's defaults, built on
common contact-centre practice and Decree 20/2008/NĐ-CP's handling of written feedback. They are
data (``data/call.json``, ``data/written.json``): relabel them or add side paths by loading an
edited copy with :meth:`ProcessDefinition.from_dict`.
"""

from __future__ import annotations

import json
from importlib import resources

from vss_care_core.errors import UnknownNameError
from vss_care_core.models import Channel, ProcessFamily
from vss_care_core.process._definition import ProcessDefinition

__all__ = [
    "CALL_PROCESS",
    "STANDARD_PROCESSES",
    "WRITTEN_PROCESS",
    "process_for",
    "standard_process",
]


def _load(name: str) -> ProcessDefinition:
    text = resources.files("vss_care_core.process").joinpath(f"data/{name}.json").read_text("utf-8")
    return ProcessDefinition.from_dict(json.loads(text))


CALL_PROCESS: ProcessDefinition = _load("call")
"""The switchboard process, 7 steps from receiving the call to saying goodbye."""

WRITTEN_PROCESS: ProcessDefinition = _load("written")
"""The fanpage, portal, e-mail and post process, 5 steps from intake to sending the answer."""


def process_for(channel: Channel) -> ProcessDefinition:
    """The standard process for a channel: phone → call, every other channel → written.

    >>> process_for(Channel.EMAIL).name
    'written'
    """
    if channel.process_family is ProcessFamily.CALL:
        return CALL_PROCESS
    return WRITTEN_PROCESS


STANDARD_PROCESSES: tuple[ProcessDefinition, ...] = (CALL_PROCESS, WRITTEN_PROCESS)
"""The two standard processes, the ones a log names unless the application adds its own."""


def standard_process(name: str) -> ProcessDefinition:
    """The standard process named ``name``; :class:`~vss_care_core.errors.UnknownNameError`
    (a ``KeyError``) for any other name.

    >>> standard_process("call").family
    <ProcessFamily.CALL: 'call'>
    """
    for definition in STANDARD_PROCESSES:
        if definition.name == name:
            return definition
    raise UnknownNameError("standard process", name, [d.name for d in STANDARD_PROCESSES])
