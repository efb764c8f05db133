"""Sphinx configuration for the vss-care-core documentation."""

from vss_care_core import __version__

project = "vss-care-core"
author = "vss-care-core developers"
copyright = "2026, vss-care-core developers"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.graphviz",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_default_options = {"members": True, "show-inheritance": True}
nitpicky = False


graphviz_output_format = "svg"

html_theme = "furo"
html_title = "vss-care-core"
html_static_path = ["_static"]


# -- Process diagrams, generated from the definitions at build time ------------------------------
from pathlib import Path  # noqa: E402

from sphinx.application import Sphinx  # noqa: E402


def _write_process_diagrams(app: Sphinx) -> None:
    """Write ``_generated/call.dot`` and ``_generated/written.dot`` from the process definitions."""
    from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS, to_dot  # noqa: PLC0415

    folder = Path(app.srcdir) / "_generated"
    folder.mkdir(exist_ok=True)
    for name, definition in (("call", CALL_PROCESS), ("written", WRITTEN_PROCESS)):
        target = folder / f"{name}.dot"
        text = to_dot(definition)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    """Generate the process diagrams before the pages are read."""
    app.connect("builder-inited", _write_process_diagrams)
