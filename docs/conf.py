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
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_pydantic_model_show_json = False
nitpicky = False

intersphinx_mapping = {"python": ("https://docs.python.org/3", None)}
intersphinx_disabled_reftypes = ["*"]
intersphinx_timeout = 1

graphviz_output_format = "svg"

html_theme = "furo"
html_title = "vss-care-core"
html_static_path = ["_static"]
