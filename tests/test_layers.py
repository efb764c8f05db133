"""The package's shape: no module imports another package's private module."""

from __future__ import annotations

import ast
from pathlib import Path

import vss_care_core

ROOT = Path(vss_care_core.__file__).parent


def _package_of(module: str) -> str:
    """The package a module belongs to: ``vss_care_core.sla._clock`` → ``vss_care_core.sla``;
    a top-level module (``vss_care_core._version``) → ``vss_care_core``."""
    parts = module.split(".")
    if len(parts) > 2 or (ROOT / parts[-1]).is_dir():
        return ".".join(parts[:2])
    return parts[0]


def _private_imports() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        own = _package_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            target = node.module
            if not target.startswith("vss_care_core."):
                continue
            private = any(part.startswith("_") for part in target.split(".")[1:])
            if private and _package_of(target) != own:
                found.append(f"{module} imports {target}")
    return found


def test_no_module_imports_another_packages_private_module() -> None:
    assert _private_imports() == []


def test_testing_helpers_import_without_hypothesis() -> None:
    """``vss_care_core.testing``'s factories work where hypothesis is not installed."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "from vss_care_core.testing import make_inquiry, case_at\n"
        "print(case_at('review').state)\n"
    )
    done = subprocess.run(  # noqa: S603 - the test's own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "review"
