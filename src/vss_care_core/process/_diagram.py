"""Diagrams of a process, generated from its definition (never drawn by hand).

Both drawings show the steps in order, the pause states with their way back, and the outcomes.
Side paths that do not change the state (a transfer, a priority change) are listed in the docs,
not drawn, to keep the pictures readable.
"""

from __future__ import annotations

from vss_care_core.process._definition import ProcessDefinition, Transition

__all__ = ["to_dot", "to_mermaid"]


def _edges(definition: ProcessDefinition) -> list[tuple[str, str, str]]:
    table = definition.transitions
    edges: list[tuple[str, str, str]] = []
    for t in table:
        if t.kind == "stay":
            continue
        if t.kind == "resume":
            edges.extend(
                (t.source, p.source, t.action)
                for p in table
                if p.kind == "pause" and p.target == t.source
            )
        else:
            edges.append((t.source, t.target, "complete" if t.kind in {"complete"} else _label(t)))
    return edges


def _label(t: Transition) -> str:
    return "complete" if t.action == "complete" else t.action


def _node_labels(definition: ProcessDefinition) -> dict[str, str]:
    labels = {s.code: f"{s.number}. {s.label_en}\\n({s.label_vi})" for s in definition.steps}
    labels.update({p.code: f"{p.label_en}\\n({p.label_vi})" for p in definition.pause_states})
    labels.update({o.code: f"{o.label_en}\\n({o.label_vi})" for o in definition.outcomes})
    return labels


def to_mermaid(definition: ProcessDefinition) -> str:
    """The process as a Mermaid state diagram.

    >>> from vss_care_core.process import CALL_PROCESS
    >>> print(to_mermaid(CALL_PROCESS).splitlines()[0])
    stateDiagram-v2
    """
    labels = _node_labels(definition)
    lines = ["stateDiagram-v2", "  direction LR"]
    for code, label in labels.items():
        lines.append(f'  state "{label.replace(chr(92) + "n", " ")}" as {code}')
    lines.append(f"  [*] --> {definition.first_step.code}")
    lines.extend(
        f"  {source} --> {target}: {action}" for source, target, action in _edges(definition)
    )
    lines.extend(f"  {code} --> [*]" for code in definition.outcome_codes)
    return "\n".join(lines) + "\n"


def to_dot(definition: ProcessDefinition) -> str:
    """The process as Graphviz DOT source (render with ``dot -Tsvg``).

    >>> from vss_care_core.process import WRITTEN_PROCESS
    >>> print(to_dot(WRITTEN_PROCESS).splitlines()[0])
    digraph written {
    """
    labels = _node_labels(definition)
    lines = [
        f"digraph {definition.name} {{",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        "  start [shape=point, width=0.15];",
    ]
    for step in definition.steps:
        lines.append(f'  {step.code} [shape=box, style=rounded, label="{labels[step.code]}"];')
    for pause in definition.pause_states:
        lines.append(
            f'  {pause.code} [shape=box, style="rounded,dashed", label="{labels[pause.code]}"];'
        )
    for outcome in definition.outcomes:
        lines.append(
            f'  {outcome.code} [shape=box, peripheries=2, label="{labels[outcome.code]}"];'
        )
    lines.append(f"  start -> {definition.first_step.code};")
    for source, target, action in _edges(definition):
        style = "" if action == "complete" else ", style=dashed"
        lines.append(f'  {source} -> {target} [label="{action}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
