"""Mutation testing of the modules whose tests must be strongest, with mutmut 3.

The script copies the source and the relevant tests into a scratch folder (the working tree is
never touched: no ``mutants/`` folder, no configuration file), writes mutmut's configuration
there as a ``setup.cfg``, runs ``mutmut run`` once per group, and prints, for each mutated file:
the mutants, how many were killed, survived or timed out, and the kill rate. Mutants shown to be
equivalent in ``tools/README.md`` are left out of the rate's denominator (and counted apart).

It takes minutes per group, so it is not part of CI::

    python3 tools/mutation.py                      # every group
    python3 tools/mutation.py --module calendar    # one group
    python3 tools/mutation.py --module sla --list-survivors
    python3 tools/mutation.py --module sla --report-only --list-survivors   # last run's results
    python3 tools/mutation.py --module calendar --file _week.py --children 1   # one file
    python3 tools/mutation.py --module calendar --file _week.py --again   # survivors, new tests

Needs ``pip install mutmut`` (3.x).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("src") / "vss_care_core"
README = Path(__file__).resolve().parent / "README.md"


@dataclass(frozen=True)
class Group:
    """The files mutated together and the test folders that must kill their mutants."""

    name: str
    files: tuple[str, ...]
    tests: tuple[str, ...]


def narrowed(group: Group, file: str | None) -> Group:
    """``group`` with only ``file`` mutated (a file name such as ``_week.py``), or ``group``."""
    if file is None:
        return group
    chosen = tuple(name for name in group.files if Path(name).name == Path(file).name)
    if not chosen:
        names = ", ".join(Path(name).name for name in group.files)
        raise SystemExit(
            f"--file {file}: not a file of group {group.name!r}; choose one of {names}"
        )
    return Group(f"{group.name}-{Path(chosen[0]).stem.lstrip('_')}", chosen, group.tests)


GROUPS: dict[str, Group] = {
    group.name: group
    for group in (
        Group(
            "calendar",
            (
                "calendar/_calendar.py",
                "calendar/_index.py",
                "calendar/_rules.py",
                "calendar/_week.py",
            ),
            ("tests/calendar",),
        ),
        Group("process", ("process/_case.py", "process/_fold.py"), ("tests/process",)),
        Group("sla", ("sla/_clock.py", "sla/_timers.py"), ("tests/sla",)),
        Group("routing", ("routing/_conditions.py", "routing/_checks.py"), ("tests/routing",)),
    )
}

MUTATION_PROFILE = """

settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile("mutation")
"""

KILLED = {"killed", "caught by type check"}
TIMEOUT = {"timeout"}
SURVIVED = {"survived"}
TARGET = 0.90
TIMEOUT_MULTIPLIER = 5.0


@dataclass
class Tally:
    """The outcome of one file's mutants."""

    statuses: dict[str, str] = field(default_factory=dict)
    equivalent: set[str] = field(default_factory=set)

    def count(self, kinds: set[str]) -> int:
        """How many non-equivalent mutants ended in one of ``kinds``."""
        return sum(
            1
            for name, status in self.statuses.items()
            if status in kinds and name not in self.equivalent
        )

    @property
    def listed_equivalent(self) -> int:
        """How many of this file's mutants are listed as equivalent."""
        return sum(1 for name in self.statuses if name in self.equivalent)

    @property
    def rate(self) -> float:
        """Killed or timed out, over every mutant not shown to be equivalent."""
        denominator = len(self.statuses) - self.listed_equivalent
        if denominator == 0:
            return 1.0
        return self.count(KILLED | TIMEOUT) / denominator


def equivalent_mutants() -> set[str]:
    """The mutant names listed in tools/README.md as equivalent (``- `name`: reason``)."""
    if not README.exists():
        return set()
    pattern = re.compile(r"^\s*[-*]\s+`([\w.ǁ]+__mutmut_\d+)`")
    names = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            names.add(match.group(1))
    return names


def prepare(group: Group, workdir: Path) -> None:
    """Copy the source and the group's tests into ``workdir`` and write mutmut's configuration."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    shutil.copytree(ROOT / "src", workdir / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (workdir / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "conftest.py", workdir / "tests" / "conftest.py")
    with (workdir / "tests" / "conftest.py").open("a", encoding="utf-8") as conftest:
        # mutmut runs the same test several times in one process (to map tests to functions,
        # then clean): hypothesis would see several executors. Same examples, no database.
        conftest.write(MUTATION_PROFILE)
    for folder in group.tests:
        shutil.copytree(
            ROOT / folder, workdir / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    # pytest's settings (warnings as errors, import mode) without the doctest collection of
    # docs and src: only the group's tests are run against the mutants.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (workdir / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    only = "\n    ".join(str(PACKAGE / name) for name in group.files)
    selection = "\n    ".join(group.tests)
    (workdir / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = src\n"
        # a mutant that loops for ever is stopped after 10 times its tests' CPU time (5 times
        # their wall time) instead of mutmut's default of 30 times; a survivor takes 1 time
        f"timeout_multiplier = {TIMEOUT_MULTIPLIER}\n"
        f"only_mutate =\n    {only}\n"
        f"pytest_add_cli_args_test_selection =\n    {selection}\n"
        "pytest_add_cli_args =\n    -o\n    addopts=--import-mode=importlib -p no:cacheprovider\n"
        "    -q\n",
        encoding="utf-8",
    )


def read_statuses(workdir: Path, group: Group) -> dict[str, Tally]:
    """Each mutated file's mutants and their status, from mutmut's ``.meta`` files."""
    sys.path.insert(0, str(workdir))
    from mutmut.stats import status_by_exit_code  # type: ignore[import-not-found]  # noqa: PLC0415

    tallies: dict[str, Tally] = {}
    for name in group.files:
        meta = workdir / "mutants" / PACKAGE / f"{name}.meta"
        tally = Tally()
        if meta.exists():
            data = json.loads(meta.read_text(encoding="utf-8"))
            for mutant, code in data.get("exit_code_by_key", {}).items():
                tally.statuses[mutant] = status_by_exit_code[code]
        tallies[name] = tally
    return tallies


def show_diff(workdir: Path, mutant: str) -> str:
    """The diff of one mutant, as ``mutmut show`` prints it."""
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "mutmut", "show", mutant],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or completed.stderr.strip()


def run_group(group: Group, workdir: Path, *, children: int) -> int:
    """Run mutmut over one group in ``workdir``; the exit code of ``mutmut run``."""
    prepare(group, workdir)
    return _mutmut_run(workdir, children=children)


def _mutmut_run(workdir: Path, *, children: int, mutants: Sequence[str] = ()) -> int:
    """``mutmut run`` in ``workdir`` (only ``mutants`` if given); its exit code, its output
    printed when it failed."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    mutmut = shutil.which("mutmut") or "mutmut"
    completed = subprocess.run(  # noqa: S603
        [mutmut, "run", "--max-children", str(children), *mutants],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        print(completed.stdout[-4000:])
        print(completed.stderr[-4000:], file=sys.stderr)
    return completed.returncode


def survivors(tallies: dict[str, Tally], equivalent: set[str]) -> list[str]:
    """The mutants neither killed, timed out nor listed as equivalent, sorted."""
    return sorted(
        mutant
        for tally in tallies.values()
        for mutant, status in tally.statuses.items()
        if status not in KILLED | TIMEOUT and mutant not in equivalent
    )


def run_again(group: Group, workdir: Path, *, children: int) -> int:
    """Run the last run's survivors again, against the tests as they are now.

    The mutants killed by the last run stay killed as long as the mutated files are the same
    and tests were only added, so that a whole run followed by this one counts every mutant.
    """
    for name in group.files:
        copied = workdir / PACKAGE / name
        if not copied.exists() or copied.read_bytes() != (ROOT / PACKAGE / name).read_bytes():
            print(
                f"{name} changed since the last run of {group.name} (or it never ran): "
                "run it whole again, without --again",
                file=sys.stderr,
            )
            return 2
    for folder in group.tests:
        for target in (workdir / folder, workdir / "mutants" / folder):
            shutil.copytree(
                ROOT / folder,
                target,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
    names = survivors(read_statuses(workdir, group), equivalent_mutants())
    if not names:
        return 0
    return _mutmut_run(workdir, children=children, mutants=names)


def report(group: Group, workdir: Path, *, list_survivors: bool) -> bool:
    """Print one group's figures (and survivors); whether every file reached the target."""
    equivalent = equivalent_mutants()
    tallies = read_statuses(workdir, group)
    header = f"{'file':32} {'mutants':>7} {'killed':>6} {'survived':>8} {'timeout':>7}"
    print(f"\n[{group.name}]")
    print(f"{header} {'other':>5} {'equiv.':>6} {'kill rate':>9}")
    reached = True
    for name, tally in tallies.items():
        tally.equivalent = equivalent
        other = (
            len(tally.statuses) - tally.listed_equivalent - tally.count(KILLED | TIMEOUT | SURVIVED)
        )
        print(
            f"{name:32} {len(tally.statuses):7} {tally.count(KILLED):6} "
            f"{tally.count(SURVIVED):8} {tally.count(TIMEOUT):7} {other:5} "
            f"{tally.listed_equivalent:6} {tally.rate:9.1%}"
        )
        reached = reached and tally.rate >= TARGET
    if list_survivors:
        for tally in tallies.values():
            for mutant in survivors({"": tally}, equivalent):
                print(f"\n# {mutant} ({tally.statuses[mutant]})")
                print(show_diff(workdir, mutant))
    return reached


def main(argv: list[str] | None = None) -> int:
    """Run the groups asked for; 0 when every file reached the target kill rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", choices=sorted(GROUPS), action="append")
    parser.add_argument(
        "--list-survivors", action="store_true", help="print the surviving mutants' diffs"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="report the last run without running again"
    )
    parser.add_argument(
        "--file",
        help="mutate only this file of the group (e.g. _week.py), in its own scratch subfolder",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="copy the tests into the last run's scratch folder and run its survivors only",
    )
    parser.add_argument("--children", type=int, default=2, help="parallel test processes")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "vss-care-mutation",
        help="scratch folder (one subfolder per group)",
    )
    arguments = parser.parse_args(argv)
    if shutil.which("mutmut") is None:
        print("mutmut is not installed: pip install mutmut", file=sys.stderr)
        return 2
    reached = True
    if arguments.file is not None and len(arguments.module or ()) != 1:
        parser.error("--file needs exactly one --module")
    for name in arguments.module or sorted(GROUPS):
        group = narrowed(GROUPS[name], arguments.file)
        workdir = arguments.workdir / group.name
        if arguments.again:
            code = run_again(group, workdir, children=arguments.children)
            if code != 0:
                print(f"mutmut run failed for {group.name} (exit code {code})", file=sys.stderr)
                reached = False
                continue
        elif not arguments.report_only:
            code = run_group(group, workdir, children=arguments.children)
            if code != 0:
                print(f"mutmut run failed for {group.name} (exit code {code})", file=sys.stderr)
                reached = False
                continue
        reached = report(group, workdir, list_survivors=arguments.list_survivors) and reached
    print(f"\ntarget: {TARGET:.0%} killed per file")
    return 0 if reached else 1


if __name__ == "__main__":
    sys.exit(main())
