"""Process diagrams: drawn by transitions from the compiled transition table, in both formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transitions.extensions import diagrams_graphviz, diagrams_mermaid
from transitions.extensions.diagrams import GraphMachine

from vss_care_core.cli import main
from vss_care_core.errors import InvalidInputError
from vss_care_core.process import (
    CALL_PROCESS,
    RESUME,
    STAY,
    WRITTEN_PROCESS,
    ProcessDefinition,
    to_dot,
    to_mermaid,
)

PROCESSES = [CALL_PROCESS, WRITTEN_PROCESS]
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(
    DOT is None,
    reason="the Graphviz 'dot' program is not installed (apt-get install graphviz): "
    "the DOT source is not rendered",
)


# -- a reader for each format, written from the formats, not from the code under test ----------


@dataclass(frozen=True)
class Drawing:
    """What a diagram source shows: state labels and styles, arrow labels and styles."""

    states: dict[str, str]
    state_styles: dict[str, str]
    edges: dict[tuple[str, str], str]
    edge_styles: dict[tuple[str, str], str]


_DOT_ID = r'(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z_0-9]*)'
_DOT_VALUE = r'(?:"(?:[^"\\]|\\.)*"|[^\s\]"]+)'
_DOT_ATTR = re.compile(rf"({_DOT_ID})=({_DOT_VALUE})")
_DOT_NODE = re.compile(rf"^\t({_DOT_ID}) \[(.*)\]$")
_DOT_EDGE = re.compile(rf"^\t({_DOT_ID}) -> ({_DOT_ID}) \[(.*)\]$")
_DOT_DEFAULTS = re.compile(r"^\t(graph|node|edge) \[(.*)\]$")


def _dot_unquote(text: str) -> str:
    if not text.startswith('"'):
        return text
    out: list[str] = []
    body = iter(text[1:-1])
    for character in body:
        if character == "\\":
            escaped = next(body)
            out.append({"l": "\n", "n": "\n"}.get(escaped, escaped))
        else:
            out.append(character)
    return "".join(out)


def _dot_attrs(text: str) -> dict[str, str]:
    found = {_dot_unquote(k): _dot_unquote(v) for k, v in _DOT_ATTR.findall(text)}
    rest = _DOT_ATTR.sub("", text).strip()
    assert not rest, f"unreadable attributes: {rest!r}"
    return found


def read_dot(source: str) -> Drawing:
    """Read the DOT the graphviz package writes: one statement a line, each recognised."""
    lines = source.splitlines()
    assert re.fullmatch(rf"digraph {_DOT_ID} \{{", lines[0]), lines[0]
    assert lines[-1] == "}"
    states: dict[str, str] = {}
    state_styles: dict[str, str] = {}
    edges: dict[tuple[str, str], str] = {}
    edge_styles: dict[tuple[str, str], str] = {}
    for line in lines[1:-1]:
        if _DOT_DEFAULTS.match(line):
            continue
        if edge := _DOT_EDGE.match(line):
            pair = (_dot_unquote(edge[1]), _dot_unquote(edge[2]))
            assert pair not in edges, f"two statements draw {pair}"
            attrs = _dot_attrs(edge[3])
            edges[pair] = attrs.pop("label")
            edge_styles[pair] = " ".join(f"{k}={v}" for k, v in sorted(attrs.items()))
        elif node := _DOT_NODE.match(line):
            name = _dot_unquote(node[1])
            attrs = _dot_attrs(node[2])
            states[name] = attrs.pop("label")
            state_styles[name] = " ".join(f"{k}={v}" for k, v in sorted(attrs.items()))
        else:
            pytest.fail(f"not a DOT statement the diagram should contain: {line!r}")
    return Drawing(states, state_styles, edges, edge_styles)


_MERMAID_TEXT = r'(?:[^"#;:%<>{}]|#(?:\d+|[a-z]+);)*'
_MERMAID_ID = r"[a-z][a-z0-9_]*"
_MERMAID_STATEMENTS = {
    "direction": re.compile(r"direction (?:LR|RL|TB|BT)"),
    "classDef": re.compile(r"classDef (s_[a-z]+) ([a-z-]+:[^,;]+(?:,[a-z-]+:[^,;]+)*)"),
    "state": re.compile(rf'state "({_MERMAID_TEXT})" as ({_MERMAID_ID})'),
    "class": re.compile(rf"Class ({_MERMAID_ID}) (s_[a-z]+)"),
    "start": re.compile(rf"\[\*\] --> ({_MERMAID_ID})"),
    "edge": re.compile(rf"({_MERMAID_ID}) --> ({_MERMAID_ID}): ({_MERMAID_TEXT})"),
}
_MERMAID_ENTITIES = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def _mermaid_decode(text: str) -> str:
    def entity(match: re.Match[str]) -> str:
        code = match[1]
        return chr(int(code)) if code.isdigit() else _MERMAID_ENTITIES[code]

    return re.sub(r"#(\d+|[a-z]+);", entity, text)


def read_mermaid(source: str) -> tuple[str, Drawing]:
    """Read a Mermaid state diagram: front matter, then one known statement a line.

    Returns the title and the drawing; every state an arrow or a class names is declared, and
    every class a state has is defined.
    """
    lines = source.splitlines()
    assert lines[0] == "---"
    assert lines[2] == "---"
    assert lines[1].startswith("title: ")
    title = json.loads(lines[1].removeprefix("title: "))  # a YAML double-quoted scalar
    assert lines[3] == "stateDiagram-v2"
    states: dict[str, str] = {}
    state_styles: dict[str, str] = {}
    class_defs: set[str] = set()
    edges: dict[tuple[str, str], str] = {}
    starts: list[str] = []
    for line in lines[4:]:
        assert line.startswith("  "), repr(line)
        assert not line.endswith(" "), repr(line)
        statement = line.strip()
        kinds = [k for k, rx in _MERMAID_STATEMENTS.items() if rx.fullmatch(statement)]
        assert len(kinds) == 1, f"not exactly one known Mermaid statement: {statement!r}"
        match = _MERMAID_STATEMENTS[kinds[0]].fullmatch(statement)
        assert match is not None
        if kinds[0] == "classDef":
            class_defs.add(match[1])
        elif kinds[0] == "state":
            states[match[2]] = _mermaid_decode(match[1])
        elif kinds[0] == "class":
            assert match[1] in states, f"class for an undeclared state: {statement!r}"
            state_styles[match[1]] = match[2]
        elif kinds[0] == "start":
            starts.append(match[1])
        elif kinds[0] == "edge":
            pair = (match[1], match[2])
            assert pair not in edges, f"two statements draw {pair}"
            edges[pair] = _mermaid_decode(match[3])
    assert set(state_styles.values()) <= class_defs
    assert set(state_styles) == set(states)
    assert all(state in states for pair in edges for state in pair)
    assert len(starts) == 1
    assert starts[0] in states
    return title, Drawing(states, state_styles, edges, {})


# -- the oracle: what the table says should be drawn --------------------------------------------


def expected_edges(definition: ProcessDefinition) -> dict[tuple[str, str], list[str]]:
    """For each pair of states, the actions of the table that move between them.

    ``resume`` goes back to every step from which a side path enters the pause state; a side path
    that stays is a move from a state to itself.
    """
    sides = {side.action: side for side in definition.side_paths}
    found: dict[tuple[str, str], list[str]] = {}
    for transition in definition.transitions:
        if transition.action == "complete":
            targets = [transition.target]
        elif sides[transition.action].target == RESUME:
            targets = [
                step
                for step in definition.step_codes
                for side in definition.side_paths
                if side.target == transition.source and step in side.sources
            ]
        elif sides[transition.action].target == STAY:
            targets = [transition.source]
        else:
            targets = [sides[transition.action].target]
        for target in targets:
            found.setdefault((transition.source, target), []).append(transition.action)
    return found


def action_labels(definition: ProcessDefinition, action: str) -> tuple[str, str]:
    """The Vietnamese and English labels of an action."""
    if action == "complete":
        return "Hoàn thành", "Complete"
    side = next(s for s in definition.side_paths if s.action == action)
    return side.label_vi, side.label_en


def one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def state_label(definition: ProcessDefinition, code: str, lang: str) -> str:
    """The label a state should show, as text (English in brackets on its own line)."""
    named = {s.code: s for s in (*definition.pause_states, *definition.outcomes)}
    if code in definition.step_codes:
        step = definition.step(code)
        vi, en, prefix = step.label_vi, step.label_en, f"{step.number}. "
    else:
        vi, en, prefix = named[code].label_vi, named[code].label_en, ""
    vi, en = one_line(vi), one_line(en)
    return prefix + {"vi": vi, "en": en, "both": f"{vi}\n({en})"}[lang]


def dot_text(label: str) -> str:
    """A DOT label read back: its lines, without the end mark of the last one."""
    return label.removesuffix("\n")


# -- every state and every move, in both formats ------------------------------------------------


@pytest.mark.parametrize("definition", PROCESSES, ids=lambda d: d.name)
def test_every_state_appears_in_both_sources(definition: ProcessDefinition) -> None:
    """Each state of the definition is a node of the DOT and a state of the Mermaid source."""
    dot = read_dot(to_dot(definition))
    _, mermaid = read_mermaid(to_mermaid(definition))
    assert list(dot.states) == list(definition.states)
    assert list(mermaid.states) == list(definition.states)


@pytest.mark.parametrize("definition", PROCESSES, ids=lambda d: d.name)
def test_every_transition_appears_in_both_sources(definition: ProcessDefinition) -> None:
    """Every entry of the table is an arrow labelled with its action's labels, in both."""
    expected = expected_edges(definition)
    dot = read_dot(to_dot(definition))
    _, mermaid = read_mermaid(to_mermaid(definition))
    assert set(dot.edges) == set(expected)
    assert set(mermaid.edges) == set(expected)
    for pair, actions in expected.items():
        for action in actions:
            vi, en = action_labels(definition, action)
            assert f"{vi}\n({en})" in dot.edges[pair], (pair, action)
            assert f"{vi} ({en})" in mermaid.edges[pair], (pair, action)
        # nothing else is written on the arrow
        assert len(mermaid.edges[pair].split(" | ")) == len(actions)
    assert sum(len(actions) for actions in expected.values()) >= len(definition.transitions)


def test_call_process_drawn_as_the_standard_says() -> None:
    """Concrete arrows of the 7-step call process."""
    dot = read_dot(to_dot(CALL_PROCESS))
    assert dot.edges[("respond", "confirm")] == "Hoàn thành\n(Complete)\n"
    assert dot.edges[("close", "closed")] == "Hoàn thành\n(Complete)\n"
    assert dot.edges[("classify", "escalated")] == (
        "Chuyển xử lý bằng văn bản\n(Escalate to a written case)\n"
    )
    # resume: one arrow back to each step that can be put on hold, none to step 1
    resumed = sorted(dst for (src, dst) in dot.edges if src == "on_hold" and dst != "abandoned")
    assert resumed == sorted(["identify", "listen", "classify", "respond", "confirm", "on_hold"])
    assert ("on_hold", "greet") not in dot.edges
    # transfer and set_priority are self-loops, on one arrow per state
    assert dot.edges[("listen", "listen")] == (
        "Chuyển cuộc gọi\n(Transfer to another agent or queue)\n"
        " | Đổi mức ưu tiên\n(Change the priority)\n"
    )
    assert dot.edges[("greet", "greet")] == "Đổi mức ưu tiên\n(Change the priority)\n"


def test_written_process_resumes_to_the_paused_steps() -> None:
    """Both pause states of the written process go back to the steps that enter them."""
    _, mermaid = read_mermaid(to_mermaid(WRITTEN_PROCESS))
    back = {
        (src, dst)
        for (src, dst), label in mermaid.edges.items()
        if "Information received" in label or "Resume handling" in label
    }
    assert back == {
        ("awaiting_info", "intake"),
        ("awaiting_info", "assign"),
        ("awaiting_info", "draft"),
        ("awaiting_info", "review"),
        ("suspended", "assign"),
        ("suspended", "draft"),
        ("suspended", "review"),
    }
    assert mermaid.edges[("answered", "draft")] == "Mở lại (Reopen)"


# -- labels, languages and looks ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["both", "vi", "en"])
@pytest.mark.parametrize("definition", PROCESSES, ids=lambda d: d.name)
def test_states_labelled_with_numbers_and_languages(
    definition: ProcessDefinition, lang: str
) -> None:
    """Steps show their number; every state its labels in the chosen languages."""
    dot = read_dot(to_dot(definition, lang=lang))  # type: ignore[arg-type]
    _, mermaid = read_mermaid(to_mermaid(definition, lang=lang))  # type: ignore[arg-type]
    for code in definition.states:
        assert dot_text(dot.states[code]) == state_label(definition, code, lang)
        assert mermaid.states[code] == state_label(definition, code, lang).replace("\n", " ")
    for number, step in enumerate(definition.steps, start=1):
        assert dot.states[step.code].startswith(f"{number}. ")


def test_one_language_only() -> None:
    """lang="vi" shows no English label, lang="en" no Vietnamese one."""
    vi = to_mermaid(CALL_PROCESS, lang="vi") + to_dot(CALL_PROCESS, lang="vi")
    en = to_mermaid(CALL_PROCESS, lang="en") + to_dot(CALL_PROCESS, lang="en")
    for step in CALL_PROCESS.steps:
        assert step.label_vi in vi
        assert step.label_en not in vi
        assert step.label_en in en
        assert step.label_vi not in en
    assert "Giữ máy" in vi
    assert "Put on hold" in en
    assert "Put on hold" not in vi


def test_default_is_both_languages() -> None:
    """Without lang=, the labels are in Vietnamese and English."""
    assert to_dot(CALL_PROCESS) == to_dot(CALL_PROCESS, lang="both")
    assert to_mermaid(WRITTEN_PROCESS) == to_mermaid(WRITTEN_PROCESS, lang="both")
    text = to_mermaid(CALL_PROCESS)
    assert "Tiếp nhận cuộc gọi, chào hỏi (Receive the call and greet)" in text


@pytest.mark.parametrize("definition", PROCESSES, ids=lambda d: d.name)
def test_pauses_and_outcomes_look_different_from_steps(definition: ProcessDefinition) -> None:
    """Each kind of state has one look, and the three looks differ, in both formats."""
    dot = read_dot(to_dot(definition))
    _, mermaid = read_mermaid(to_mermaid(definition))
    for drawing in (dot, mermaid):
        looks = {
            kind: {drawing.state_styles[code] for code in codes}
            for kind, codes in (
                ("step", definition.step_codes),
                ("pause", definition.pause_codes),
                ("outcome", definition.outcome_codes),
            )
        }
        assert all(len(styles) == 1 for styles in looks.values()), looks
        assert len(set.union(*looks.values())) == 3, looks
    assert all("dashed" in dot.state_styles[code] for code in definition.pause_codes)
    assert all("peripheries=2" in dot.state_styles[code] for code in definition.outcome_codes)
    assert all(mermaid.state_styles[code] == "s_pause" for code in definition.pause_codes)
    assert all(mermaid.state_styles[code] == "s_outcome" for code in definition.outcome_codes)


def test_arrows_styled_by_kind_in_graphviz() -> None:
    """Completions are bold, side paths dashed, moves that stay dotted."""
    dot = read_dot(to_dot(CALL_PROCESS))
    assert "penwidth=2" in dot.edge_styles[("greet", "identify")]
    assert "style=dashed" in dot.edge_styles[("identify", "on_hold")]
    assert "style=dashed" in dot.edge_styles[("on_hold", "identify")]
    assert "constraint=false" in dot.edge_styles[("on_hold", "identify")]
    assert "style=dotted" in dot.edge_styles[("identify", "identify")]


def test_titles() -> None:
    """The DOT graph is named after the process code; both carry the process's label."""
    dot = to_dot(CALL_PROCESS)
    assert dot.startswith("digraph call {\n")
    assert 'label="Quy trình tiếp nhận cuộc gọi qua tổng đài (7 bước)\\l(Switchboard call' in dot
    title, _ = read_mermaid(to_mermaid(WRITTEN_PROCESS, lang="en"))
    assert title == "Written process: fanpage, portal, e-mail, post (5 steps)"


def test_unknown_language_refused() -> None:
    """A language other than both, vi or en is refused, saying which ones exist."""
    for draw in (to_dot, to_mermaid):
        with pytest.raises(InvalidInputError, match=r"lang='fr'.*'both'.*'vi'.*'en'") as info:
            draw(CALL_PROCESS, lang="fr")  # type: ignore[arg-type]
        assert isinstance(info.value, ValueError)
        assert draw.__name__ in str(info.value)


# -- valid sources ------------------------------------------------------------------------------


def render_svg(source: str) -> str:
    """Render DOT with Graphviz; fail on an error or a warning."""
    assert DOT is not None
    done = subprocess.run(  # noqa: S603 - the dot program found on PATH, with fixed arguments
        [DOT, "-Tsvg"], input=source.encode(), capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode() == ""
    return done.stdout.decode()


@needs_dot
@pytest.mark.parametrize("lang", ["both", "vi", "en"])
@pytest.mark.parametrize("definition", PROCESSES, ids=lambda d: d.name)
def test_graphviz_renders_the_source(definition: ProcessDefinition, lang: str) -> None:
    """dot -Tsvg accepts the source, without warnings, and draws every state's label."""
    svg = render_svg(to_dot(definition, lang=lang))  # type: ignore[arg-type]
    assert svg.count('class="node"') == len(definition.states)
    for step in definition.steps:
        shown = step.label_en if lang == "en" else step.label_vi
        assert f"{step.number}. {shown}".replace("&", "&amp;") in svg


# -- a definition of one's own ------------------------------------------------------------------


def hotline() -> ProcessDefinition:
    """A renamed copy of the call process with an extra step 7, a satisfaction survey."""
    data = CALL_PROCESS.to_dict()
    data["name"] = "hotline"
    data["label_vi"] = "Đường dây nóng BHXH tỉnh"
    data["label_en"] = "Provincial VSS hotline"
    survey = {
        "code": "survey",
        "number": 7,
        "label_vi": "Khảo sát mức độ hài lòng",
        "label_en": "Satisfaction survey",
    }
    steps = data["steps"]
    steps[-1]["number"] = 8
    steps.insert(6, survey)
    for side in data["side_paths"]:
        if "close" in side["sources"]:
            side["sources"].insert(side["sources"].index("close"), "survey")
    return ProcessDefinition.from_dict(data)


def test_custom_definition_drawn() -> None:
    """A definition loaded from data is drawn from its own table: names, numbers, arrows."""
    definition = hotline()
    dot_source = to_dot(definition)
    dot = read_dot(dot_source)
    title, mermaid = read_mermaid(to_mermaid(definition))
    assert dot_source.startswith("digraph hotline {\n")
    assert title == "Đường dây nóng BHXH tỉnh (Provincial VSS hotline)"
    assert list(dot.states) == list(definition.states)
    assert dot_text(dot.states["survey"]) == "7. Khảo sát mức độ hài lòng\n(Satisfaction survey)"
    assert mermaid.states["close"] == "8. Cảm ơn, chào tạm biệt (Say goodbye and end the call)"
    assert ("confirm", "close") not in mermaid.edges
    assert mermaid.edges[("confirm", "survey")] == "Hoàn thành (Complete)"
    assert mermaid.edges[("survey", "close")] == "Hoàn thành (Complete)"
    assert "Người gọi gác máy" in mermaid.edges[("survey", "abandoned")]
    assert "Đổi mức ưu tiên" in mermaid.edges[("survey", "survey")]
    assert set(dot.edges) == set(mermaid.edges) == set(expected_edges(definition))
    if DOT is not None:
        render_svg(dot_source)


def _renamed(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The definition data with state ``old`` renamed ``new`` everywhere."""
    text = json.dumps(data)
    return json.loads(text.replace(f'"{old}"', f'"{new}"'))  # type: ignore[no-any-return]


@pytest.mark.parametrize("code", ["note", "class", "style", "default", "node", "edge", "graph"])
def test_state_codes_that_are_keywords(code: str) -> None:
    """A state whose code is a Mermaid or DOT keyword still gives valid sources."""
    definition = ProcessDefinition.from_dict(_renamed(CALL_PROCESS.to_dict(), "on_hold", code))
    _, mermaid = read_mermaid(to_mermaid(definition))
    name = f"{code}_state" if code in {"note", "class", "style", "default"} else code
    assert mermaid.states[name] == "Giữ máy (On hold)"
    assert mermaid.state_styles[name] == "s_pause"
    assert ("identify", name) in mermaid.edges
    dot_source = to_dot(definition)
    dot = read_dot(dot_source)
    assert dot_text(dot.states[code]) == "Giữ máy\n(On hold)"
    if DOT is not None:
        render_svg(dot_source)


# Any text a label may hold: Vietnamese, the characters that mean something in DOT or Mermaid,
# line breaks, tabs and other control characters.
label_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("\"\\;#%<>{}:|[]-=,.()&'\n\t\r\x00\x1b "),
        st.sampled_from("ăâđêôơưàảãáạằẳẵắặẦẨẪẤẬĐ"),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=30,
).filter(str.strip)  # a label is stripped when loaded, and must not be empty then


@settings(max_examples=30)
@given(step_vi=label_text, side_en=label_text, outcome_vi=label_text, title=label_text)
def test_any_label_gives_valid_sources(
    step_vi: str, side_en: str, outcome_vi: str, title: str
) -> None:
    """Whatever a label holds, both sources stay valid and show it, on one line per language."""
    data = CALL_PROCESS.to_dict()
    data["steps"][2]["label_vi"] = step_vi
    data["side_paths"][0]["label_en"] = side_en  # hold
    data["outcomes"][1]["label_vi"] = outcome_vi  # escalated
    data["label_en"] = title
    definition = ProcessDefinition.from_dict(data)

    shown_title, mermaid = read_mermaid(to_mermaid(definition))
    assert shown_title == f"{one_line(data['label_vi'])} ({one_line(title)})"
    assert mermaid.states["listen"] == f"3. {one_line(step_vi)} (Listen and capture the need)"
    assert mermaid.states["escalated"].startswith(one_line(outcome_vi) + " (")
    assert mermaid.edges[("identify", "on_hold")] == f"Giữ máy ({one_line(side_en)})"

    dot_source = to_dot(definition)
    dot = read_dot(dot_source)
    assert dot_text(dot.states["listen"]) == state_label(definition, "listen", "both")
    assert dot.edges[("identify", "on_hold")] == f"Giữ máy\n({one_line(side_en)})\n"
    if DOT is not None:
        done = subprocess.run(  # noqa: S603 - the dot program found on PATH, fixed arguments
            [DOT, "-Tsvg"], input=dot_source.encode(), capture_output=True, check=False
        )
        assert done.returncode == 0, done.stderr.decode()


# -- the text comes from transitions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "graph_class"),
    [(to_mermaid, diagrams_mermaid.Graph), (to_dot, diagrams_graphviz.Graph)],
    ids=["mermaid", "dot"],
)
def test_text_is_written_by_transitions(
    draw: Any, graph_class: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source is the one the transitions graph object writes, built from our machine."""
    drawn: list[Any] = []
    real_get_graph = graph_class.get_graph

    def spy(self: Any, title: str | None = None, roi_state: str | None = None) -> Any:
        graph = real_get_graph(self, title=title, roi_state=roi_state)
        drawn.append((self.machine, graph))
        return graph

    monkeypatch.setattr(graph_class, "get_graph", spy)
    text = draw(WRITTEN_PROCESS)
    machine, graph = drawn[-1]
    assert isinstance(machine, GraphMachine)
    assert set(machine.states) == set(WRITTEN_PROCESS.states)
    assert machine.auto_transitions is False
    lines = [line.rstrip() for line in graph.source.splitlines()]
    assert text == "\n".join(line for line in lines if line) + "\n"


def test_labels_go_through_transitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing how transitions writes an arrow's label changes the drawing."""
    base = diagrams_mermaid.Graph.__mro__[1]
    real = base._transition_label

    def marked(self: Any, transition: dict[str, str]) -> str:
        return "MARK " + real(self, transition)

    monkeypatch.setattr(base, "_transition_label", marked)
    _, mermaid = read_mermaid(to_mermaid(CALL_PROCESS, lang="en"))
    assert mermaid.edges[("greet", "identify")] == "MARK Complete"


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["both", "vi", "en"])
@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_cli_prints_the_diagram(fmt: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """vss-care diagram prints exactly what the functions return."""
    assert main(["diagram", "written", "--format", fmt, "--lang", lang]) == 0
    draw = to_dot if fmt == "dot" else to_mermaid
    assert capsys.readouterr().out == draw(WRITTEN_PROCESS, lang=lang)  # type: ignore[arg-type]


def test_cli_default_is_mermaid_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    """Without options, the call process is printed as Mermaid with both languages."""
    assert main(["diagram", "call"]) == 0
    assert capsys.readouterr().out == to_mermaid(CALL_PROCESS)


def test_cli_refuses_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --lang is an argument error, not a traceback."""
    with pytest.raises(SystemExit) as info:
        main(["diagram", "call", "--lang", "fr"])
    assert info.value.code == 2
    assert "--lang" in capsys.readouterr().err
