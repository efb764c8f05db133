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


def _grouped_edges(definition: ProcessDefinition) -> list[tuple[str, str, str, str]]:
    """Edges for the Graphviz drawing: a side path taken from three steps or more is drawn
    once, from the box of steps, so the picture stays readable.

    Each edge is (source, target, label, attributes).
    """
    steps = definition.step_codes
    middle = steps[len(steps) // 2]
    edges: list[tuple[str, str, str, str]] = []
    by_action: dict[str, list[Transition]] = {}
    for t in definition.transitions:
        if t.action == "complete":
            edges.append((t.source, t.target, "", "weight=10, penwidth=1.6"))
        elif t.kind != "stay":
            by_action.setdefault(t.action, []).append(t)
    for action, transitions in by_action.items():
        from_steps = [t for t in transitions if t.source in steps]
        others = [t for t in transitions if t.source not in steps]
        if len(from_steps) >= 3:
            first, last = from_steps[0].source, from_steps[-1].source
            label = f"{action}\\n(from {first} … {last})"
            target = from_steps[0].target
            edges.append((middle, target, label, "style=dashed, ltail=cluster_steps"))
        else:
            for t in from_steps:
                edges.append((t.source, t.target, action, "style=dashed"))
        for t in others:
            if t.kind == "resume":
                sources = {p.source for p in definition.transitions if p.target == t.source}
                if len(sources) >= 3:
                    label = f"{action}\\n(back to the step)"
                    edges.append((t.source, middle, label, "style=dashed, lhead=cluster_steps"))
                else:
                    edges.extend((t.source, s, action, "style=dashed") for s in sorted(sources))
            else:
                edges.append((t.source, t.target, action, "style=dashed"))
    return edges


def to_dot(definition: ProcessDefinition) -> str:
    """The process as Graphviz DOT source (render with ``dot -Tsvg``).

    The steps are drawn top to bottom inside one box; pause states beside it; outcomes below.

    >>> from vss_care_core.process import WRITTEN_PROCESS
    >>> print(to_dot(WRITTEN_PROCESS).splitlines()[0])
    digraph written {
    """
    labels = _node_labels(definition)
    lines = [
        f"digraph {definition.name} {{",
        "  rankdir=TB; compound=true; newrank=true; nodesep=0.5;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        "  start [shape=point, width=0.15];",
        '  subgraph cluster_steps { label="Steps"; style=rounded; color=gray60;',
    ]
    for step in definition.steps:
        lines.append(f'    {step.code} [shape=box, style=rounded, label="{labels[step.code]}"];')
    lines.append("  }")
    for pause in definition.pause_states:
        lines.append(
            f'  {pause.code} [shape=box, style="rounded,dashed", label="{labels[pause.code]}"];'
        )
    outcomes = " ".join(definition.outcome_codes)
    for outcome in definition.outcomes:
        lines.append(
            f'  {outcome.code} [shape=box, peripheries=2, label="{labels[outcome.code]}"];'
        )
    lines.append(f"  {{ rank=sink; {outcomes} }}")
    lines.append(f"  start -> {definition.first_step.code};")
    for source, target, label, attributes in _grouped_edges(definition):
        text = f'label="{label}", ' if label else ""
        lines.append(f"  {source} -> {target} [{text}{attributes}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
