"""Diagrams of a process, drawn by ``transitions`` from the compiled transition table.

Every entry of :attr:`ProcessDefinition.transitions
<vss_care_core.process.ProcessDefinition.transitions>` becomes a transition of a
``transitions`` ``GraphMachine`` (its diagram extension), and that machine writes the text:
Mermaid with ``graph_engine="mermaid"``, Graphviz DOT with ``graph_engine="graphviz"``. This
module only says what to draw and how each kind of state and move looks:

- steps are rounded boxes labelled with their number; pause states are dashed and tinted;
  outcomes are double-bordered (Graphviz) or thick-bordered (Mermaid) and tinted another way;
- completing a step is a bold arrow; a side path is a dashed arrow labelled with its label;
- a side path back to the paused step (``resume``) is drawn once for each step it can return
  to: the steps that enter that pause state;
- a side path that leaves the state unchanged (``transfer``, ``set_priority``) is a dotted
  self-loop; Graphviz draws it grey, so that the main line stays easy to follow.

Labels are in Vietnamese and English (``lang="both"``, the default: Vietnamese first, English in
brackets), or in one of them (``lang="vi"`` or ``lang="en"``).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast, runtime_checkable

from transitions import State
from transitions.extensions import diagrams_graphviz
from transitions.extensions.diagrams import GraphMachine
from transitions.extensions.diagrams_base import BaseGraph

from vss_care_core.errors import CareCoreError, InvalidInputError
from vss_care_core.process._definition import RESUME, STAY, ProcessDefinition

__all__ = ["DiagramLanguage", "to_dot", "to_mermaid"]

DiagramLanguage = Literal["both", "vi", "en"]
"""The labels a diagram shows: both languages, Vietnamese only or English only."""

_LANGUAGES: tuple[DiagramLanguage, ...] = ("both", "vi", "en")

# The label of the arrow that completes a step (the data names only the side paths).
_COMPLETE_LABEL_VI = "Hoàn thành"
_COMPLETE_LABEL_EN = "Complete"

EdgeStyle = Literal["complete", "side", "resume", "stay"]

# Mermaid reads these words as statements wherever a line starts with them, so a state with
# such a code gets another (invisible) id in the Mermaid source; its label is unchanged.
_MERMAID_KEYWORDS = frozenset(
    {
        "accdescr",
        "acctitle",
        "class",
        "classdef",
        "click",
        "default",
        "note",
        "scale",
        "statediagram",
        "style",
    }
)

# Characters that would end or change a Mermaid statement, written as Mermaid entity codes
# (each character is replaced once, so the codes themselves are not encoded again).
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    ";": "#59;",
    "%": "#37;",
    "<": "#lt;",
    ">": "#gt;",
    "{": "#123;",
    "}": "#125;",
    ":": "#58;",
}


@dataclass(frozen=True, slots=True)
class _Edge:
    """One arrow of a diagram: a move of the transition table, between two drawn states."""

    action: str
    source: str
    target: str
    label_vi: str
    label_en: str
    style: EdgeStyle


# The shape of transitions' GraphMachine.style_attributes: for "node", "edge" and "graph", a
# style name and its Graphviz attributes (the Mermaid engine writes them as a classDef).
_StyleTable = dict[str, str | dict[str, str | dict[str, Any]]]

_FONT = "Helvetica"

_DOT_GRAPH = {
    "rankdir": "LR",
    "nodesep": "0.35",
    "ranksep": "0.55",
    "fontname": _FONT,
    "fontsize": "12",
    "labelloc": "t",
}
_DOT_STYLES: _StyleTable = {
    "node": {
        "default": {
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": "white",
            "color": "black",
            "fontname": _FONT,
            "fontsize": "10",
        },
        # one group for the steps: Graphviz keeps them on a straight line
        "step": {"group": "steps"},
        "pause": {"style": "rounded,filled,dashed", "fillcolor": "#fff4d6", "color": "#b7791f"},
        "outcome": {
            "style": "filled",
            "peripheries": "2",
            "fillcolor": "#e8f0fe",
            "color": "#1a56db",
        },
    },
    "edge": {
        "default": {"color": "#444444", "fontname": _FONT, "fontsize": "9"},
        "complete": {"color": "black", "penwidth": "2", "weight": "10"},
        "side": {"style": "dashed"},
        # the way back from a pause does not pull the layout: the way in places the pause
        "resume": {"style": "dashed", "constraint": "false"},
        "stay": {"style": "dotted", "color": "#888888", "fontcolor": "#666666", "fontsize": "8"},
    },
    "graph": {"default": {}},
}

_MERMAID_GRAPH = {"rankdir": "LR"}  # written as "direction LR"
_MERMAID_STYLES: _StyleTable = {
    "node": {
        "default": {"fillcolor": "#ffffff", "color": "#000000"},
        "step": {"fillcolor": "#ffffff", "stroke": "#333333"},
        "pause": {"fillcolor": "#fff4d6", "stroke": "#b7791f", "stroke-dasharray": "5 5"},
        "outcome": {"fillcolor": "#e8f0fe", "stroke": "#1a56db", "stroke-width": "3px"},
    },
    "edge": {"default": {}},
    "graph": {"default": {}},
}


@dataclass(frozen=True, slots=True)
class _Engine:
    """What differs between the two kinds of text: engine, styles, how labels are written."""

    graph_engine: Literal["graphviz", "mermaid"]
    graph_attributes: Mapping[str, str]
    styles: _StyleTable
    clean: Callable[[str], str]
    line_break: str
    edge_end: str


class _LabelledState(State):
    """A ``transitions`` state that carries the label its diagram shows."""

    def __init__(self, name: str, *, label: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.label = label


class _DiagramMachine(GraphMachine):
    """A ``GraphMachine`` whose states carry labels, with the graph and styles of one engine."""

    state_cls = _LabelledState

    def __init__(self, *, engine: _Engine, **kwargs: Any) -> None:
        # set before the machine draws its first graph; copies, so no drawing shares them
        self.machine_attributes = dict(engine.graph_attributes)
        self.style_attributes = copy.deepcopy(engine.styles)
        super().__init__(graph_engine=engine.graph_engine, **kwargs)


class _Sheet:
    """The model a diagram machine is built for; ``transitions`` binds its triggers here."""


@runtime_checkable
class _Source(Protocol):
    """What both kinds of graph object that ``transitions`` returns have: their text."""

    @property
    def source(self) -> str: ...


@runtime_checkable
class _DotGraph(_Source, Protocol):
    """A ``graphviz.Digraph``: its text and its graph attributes."""

    @property
    def graph_attr(self) -> dict[str, str]: ...


def _one_line(text: str) -> str:
    """The text on one line: line breaks, tabs and other control characters become spaces."""
    printable = "".join(character if character.isprintable() else " " for character in text)
    return " ".join(printable.split())


def _dot_text(text: str) -> str:
    # A backslash starts an escape (\n, \l) in a DOT label: keep the user's own as backslashes.
    return _one_line(text).replace("\\", "\\\\")


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(character, character) for character in _one_line(text))


_DOT = _Engine(
    graph_engine="graphviz",
    graph_attributes=_DOT_GRAPH,
    styles=_DOT_STYLES,
    clean=_dot_text,
    line_break="\\l",
    edge_end="\\l",
)
# Ending every DOT label with "\l" (end of a left-aligned line) also keeps the graphviz package
# from taking a label written "<...>" for an HTML label.
_MERMAID = _Engine(
    graph_engine="mermaid",
    graph_attributes=_MERMAID_GRAPH,
    styles=_MERMAID_STYLES,
    clean=_mermaid_text,
    line_break=" ",
    edge_end="",
)


def _check_lang(lang: object, where: str) -> DiagramLanguage:
    for known in _LANGUAGES:
        if lang == known:
            return known
    raise InvalidInputError(
        f"{where}: lang={lang!r} is not a language the diagrams are labelled in; "
        "give lang='both' (Vietnamese and English), 'vi' or 'en'"
    )


def _label(vi: str, en: str, lang: DiagramLanguage, engine: _Engine) -> str:
    if lang == "vi":
        return engine.clean(vi)
    if lang == "en":
        return engine.clean(en)
    return f"{engine.clean(vi)}{engine.line_break}({engine.clean(en)})"


def _edges(definition: ProcessDefinition) -> list[_Edge]:
    """The arrows to draw, from the compiled transition table, in its order."""
    sides = {side.action: side for side in definition.side_paths}
    pauses = set(definition.pause_codes)
    # the steps a pause state is entered from: the steps a resume from it can return to
    paused_from: dict[str, list[str]] = defaultdict(list)
    for transition in definition.transitions:
        if transition.action in sides and sides[transition.action].target in pauses:
            paused_from[transition.target].append(transition.source)
    edges: list[_Edge] = []
    for transition in definition.transitions:
        if transition.action == "complete":
            edges.append(
                _Edge(
                    action=transition.action,
                    source=transition.source,
                    target=transition.target,
                    label_vi=_COMPLETE_LABEL_VI,
                    label_en=_COMPLETE_LABEL_EN,
                    style="complete",
                )
            )
            continue
        side = sides[transition.action]
        if side.target == RESUME:
            targets = paused_from[transition.source]
            style: EdgeStyle = "resume"
        elif side.target == STAY:
            targets, style = [transition.source], "stay"
        else:
            targets, style = [transition.target], "side"
        edges.extend(
            _Edge(
                action=transition.action,
                source=transition.source,
                target=target,
                label_vi=side.label_vi,
                label_en=side.label_en,
                style=style,
            )
            for target in targets
        )
    return edges


def _state_labels(
    definition: ProcessDefinition, lang: DiagramLanguage, engine: _Engine
) -> dict[str, str]:
    labels = {
        step.code: f"{step.number}. {_label(step.label_vi, step.label_en, lang, engine)}"
        for step in definition.steps
    }
    for pause in definition.pause_states:
        labels[pause.code] = _label(pause.label_vi, pause.label_en, lang, engine)
    for outcome in definition.outcomes:
        labels[outcome.code] = _label(outcome.label_vi, outcome.label_en, lang, engine)
    return labels


def _state_kinds(definition: ProcessDefinition) -> dict[str, str]:
    kinds = dict.fromkeys(definition.step_codes, "step")
    kinds.update(dict.fromkeys(definition.pause_codes, "pause"))
    kinds.update(dict.fromkeys(definition.outcome_codes, "outcome"))
    return kinds


def _mermaid_names(codes: Sequence[str]) -> dict[str, str]:
    taken = set(codes)
    names: dict[str, str] = {}
    for code in codes:
        name = code
        if code in _MERMAID_KEYWORDS:
            name = f"{code}_state"
            while name in taken:
                name += "_"
            taken.add(name)
        names[code] = name
    return names


def _machine(
    definition: ProcessDefinition, lang: DiagramLanguage, engine: _Engine, names: Mapping[str, str]
) -> tuple[GraphMachine, _Sheet]:
    """The ``transitions`` machine that draws ``definition``, and the model it was built for."""
    labels = _state_labels(definition, lang, engine)
    sheet = _Sheet()
    machine = _DiagramMachine(
        engine=engine,
        model=sheet,
        states=[{"name": names[code], "label": labels[code]} for code in definition.states],
        initial=names[definition.first_step.code],
        transitions=[
            {
                "trigger": edge.action,
                "source": names[edge.source],
                "dest": names[edge.target],
                "label": _label(edge.label_vi, edge.label_en, lang, engine) + engine.edge_end,
            }
            for edge in _edges(definition)
        ],
        auto_transitions=False,
        title=definition.name,
    )
    return machine, sheet


def _styled_graph(
    definition: ProcessDefinition, machine: GraphMachine, sheet: _Sheet, names: Mapping[str, str]
) -> BaseGraph:
    """The machine's graph of ``sheet``, each state styled by its kind (step, pause, outcome)."""
    graph = machine.model_graphs[id(sheet)]
    for code, kind in _state_kinds(definition).items():
        graph.set_node_style(names[code], kind)
    return graph


def _text(graph: object, where: str) -> str:
    """The text of a graph drawn by transitions, without its blank lines and trailing spaces."""
    if not isinstance(graph, _Source):  # pragma: no cover - a transitions release that changed
        raise CareCoreError(f"{where}: the diagram object drawn by transitions has no source text")
    lines = (line.rstrip() for line in graph.source.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def _title(definition: ProcessDefinition, lang: DiagramLanguage) -> str:
    if lang == "vi":
        return _one_line(definition.label_vi)
    if lang == "en":
        return _one_line(definition.label_en)
    return f"{_one_line(definition.label_vi)} ({_one_line(definition.label_en)})"


def to_mermaid(definition: ProcessDefinition, *, lang: DiagramLanguage = "both") -> str:
    r"""The process as a Mermaid state diagram, written by ``transitions``.

    The text starts with a front-matter title (the process label) and ``stateDiagram-v2``; each
    state is written ``state "label" as code``, each move ``source --> target: label``.

    >>> from vss_care_core.process import CALL_PROCESS
    >>> lines = to_mermaid(CALL_PROCESS, lang="en").splitlines()
    >>> print(lines[1], lines[3], sep="\n")
    title: "Switchboard call process (7 steps)"
    stateDiagram-v2
    >>> for line in lines:
    ...     if line.strip().startswith(('state "1.', "greet -->")):
    ...         print(line.strip())
    state "1. Receive the call and greet" as greet
    greet --> identify: Complete
    greet --> abandoned: The caller hangs up
    greet --> greet: Change the priority
    """
    lang = _check_lang(lang, "to_mermaid")
    names = _mermaid_names(definition.states)
    machine, sheet = _machine(definition, lang, _MERMAID, names)
    graph = _styled_graph(definition, machine, sheet, names)
    title = _title(definition, lang).replace("\\", "\\\\").replace('"', '\\"')
    # transitions writes the title alone between the front-matter fences; written as a YAML
    # "title:" entry, Mermaid shows it as the diagram's title.
    drawn = graph.get_graph(title=f'title: "{title}"')
    return _text(drawn, "to_mermaid")


def to_dot(definition: ProcessDefinition, *, lang: DiagramLanguage = "both") -> str:
    r"""The process as Graphviz DOT source, written by ``transitions`` (render with ``dot -Tsvg``).

    The graph is named after the process's code and labelled with its title.

    >>> from vss_care_core.process import WRITTEN_PROCESS
    >>> dot = to_dot(WRITTEN_PROCESS, lang="en")
    >>> print(dot.splitlines()[0])
    digraph written {
    >>> for line in dot.splitlines():
    ...     if line.strip().startswith(("intake ", "review -> draft")):
    ...         print(line.strip())
    intake [label="1. Receive and classify\l" group=steps]
    intake -> assign [label="Complete\l" color=black penwidth=2 weight=10]
    ...
    review -> draft [label="Send the draft back\l" style=dashed]
    """
    lang = _check_lang(lang, "to_dot")
    names = {code: code for code in definition.states}
    machine, sheet = _machine(definition, lang, _DOT, names)
    graph = _styled_graph(definition, machine, sheet, names)
    if not isinstance(graph, diagrams_graphviz.Graph):
        raise CareCoreError(
            "to_dot: transitions could not load its Graphviz engine, which needs the 'graphviz' "
            "Python package (a dependency of vss-care-core): install it with "
            "'python3 -m pip install graphviz'"
        )
    # transitions keeps the style name of each arrow here, as its own set_previous_transition
    # does; Graphviz then draws the arrow with that style's attributes.
    arrow_styles = cast("defaultdict[str, defaultdict[str, str]]", graph.custom_styles["edge"])
    for edge in _edges(definition):
        styles = arrow_styles[edge.source]
        if not styles[edge.target]:  # the first move between two states sets the style
            styles[edge.target] = edge.style
    drawn = graph.get_graph(title=definition.name)
    if isinstance(drawn, _DotGraph):
        drawn.graph_attr["label"] = _label(definition.label_vi, definition.label_en, lang, _DOT)
        drawn.graph_attr["label"] += "\\l"
    return _text(drawn, "to_dot")
