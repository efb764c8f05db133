"""What every benchmark shares: the working tree measured against a baseline, in the same run.

A benchmark's parent process never imports the library. It runs every measurement in a worker
process (the same script with ``--worker KIND``) that has one version's ``src`` folder first on
``PYTHONPATH``: the working tree's, or the baseline's, extracted from git with
``git archive REF src | tar -x`` into a temporary folder. The two versions take turns, round
after round, and the one that goes first alternates, so that a change in the machine's load
affects both alike. A worker times its measured part in CPU time (``time.process_time``) and
prints its results as one JSON line on stdout, which the parent reads.

The parent then prints, for each measurement, the ratio working tree / baseline in each round,
the ratio of the least times and a verdict against the budget: no benchmark may get more than
10% slower than the baseline. The default baseline is the git ref in ``benchmarks/BASELINE``;
``--baseline none`` skips the comparison.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

BUDGET = 0.10
"""How much slower than the baseline a measurement may get (a ratio of at most 1.10)."""

ROOT = Path(__file__).resolve().parent.parent
BASELINE_FILE = Path(__file__).resolve().with_name("BASELINE")

T = TypeVar("T")
Result = dict[str, Any]
"""What a worker printed: ``library`` (where it imported the library from) and its figures."""


class BenchmarkError(Exception):
    """A benchmark cannot run; the message says why and what to do."""


@dataclass(frozen=True)
class Version:
    """One version of the library: a name to print and the ``src`` folder to import it from."""

    name: str
    src: Path


WORKING_TREE = Version("working tree", ROOT / "src")


# -- options ----------------------------------------------------------------------------------
def default_baseline() -> str:
    """The git ref written in ``benchmarks/BASELINE`` (its first line that is not a comment)."""
    for line in BASELINE_FILE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            return text
    raise BenchmarkError(
        f"{BASELINE_FILE.name} names no git ref: write one on a line of its own "
        "(or give --baseline REF)"
    )


def add_options(parser: argparse.ArgumentParser, *, rounds: int = 3) -> None:
    """Add ``--baseline``, ``--rounds`` and the hidden ``--worker`` to a benchmark's options."""
    parser.add_argument(
        "--baseline",
        default=None,
        metavar="REF",
        help="git ref of the version to compare with (default: the one in benchmarks/BASELINE); "
        "'none' skips the comparison",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=rounds,
        help=f"rounds in which the versions take turns ({rounds})",
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)


def check_counts(parser: argparse.ArgumentParser, args: argparse.Namespace, *names: str) -> None:
    """Refuse (with the usual usage message) any of the options ``names`` below 1."""
    low = [name for name in names if getattr(args, name) < 1]
    if low:
        options = ", ".join(f"--{name}" for name in low)
        parser.error(f"{options} must be at least 1")


# -- versions ---------------------------------------------------------------------------------
def extract(ref: str, folder: Path) -> Path:
    """Write the ``src`` folder of git ref ``ref`` into ``folder``; return that ``src``."""
    git = shutil.which("git")
    tar = shutil.which("tar")
    if git is None or tar is None:
        raise BenchmarkError("the baseline needs git and tar on PATH (or give --baseline none)")
    # git archive REF src | tar -x -C folder
    archive = subprocess.Popen(  # noqa: S603 - fixed command, the ref is an argument
        [git, "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    unpack = subprocess.Popen(  # noqa: S603 - fixed command
        [tar, "-x", "-C", str(folder)], stdin=archive.stdout, stderr=subprocess.PIPE
    )
    assert archive.stdout is not None
    assert archive.stderr is not None
    archive.stdout.close()  # tar holds the only reading end now
    _, unpack_problem = unpack.communicate()
    archive_problem = archive.stderr.read()
    if archive.wait() != 0 or unpack.returncode != 0:
        why = (archive_problem or unpack_problem).decode(errors="replace").strip()
        raise BenchmarkError(
            f"cannot extract the baseline {ref!r} from git ({why}): give --baseline a commit, "
            "branch or tag of this repository, or --baseline none"
        )
    src = folder / "src"
    if not (src / "vss_care_core" / "__init__.py").is_file():
        raise BenchmarkError(f"the baseline {ref!r} has no src/vss_care_core: choose another ref")
    return src


@contextmanager
def versions(baseline: str | None) -> Iterator[list[Version]]:
    """The versions to measure: the baseline (unless ``none``), then the working tree.

    The baseline's source lives in a temporary folder for as long as the context lasts.
    """
    ref = default_baseline() if baseline is None else baseline
    if ref.lower() == "none":
        yield [WORKING_TREE]
        return
    with tempfile.TemporaryDirectory(prefix="vss-care-baseline-") as folder:
        yield [Version(f"baseline {ref}", extract(ref, Path(folder))), WORKING_TREE]


def describe(title: str, found: Sequence[Version], rounds: int) -> None:
    """Print the benchmark's title, the machine and the versions it compares."""
    print(title)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )
    if len(found) == 1:
        print("Working tree only (--baseline none): no comparison with a baseline")
    else:
        times = "1 round" if rounds == 1 else f"{rounds} rounds"
        print(f"Working tree against {found[0].name}, {times}, CPU time in workers")
    print()


# -- workers ----------------------------------------------------------------------------------
def run_worker(version: Version, script: str, arguments: Sequence[str]) -> Result:
    """Run ``script`` with ``arguments`` in a fresh process on ``version``; return its result.

    The worker's last line on stdout must be its JSON result (see :func:`emit`).
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(version.src), os.environ.get("PYTHONPATH", "")) if part
    )
    command = [sys.executable, script, *arguments]
    done = subprocess.run(  # noqa: S603 - our own script, our own arguments
        command, capture_output=True, text=True, env=environment, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        advice = (
            "the working tree must import and run"
            if version == WORKING_TREE
            else "the baseline may lack an API this benchmark uses: give a later --baseline, "
            "or --baseline none"
        )
        raise BenchmarkError(
            f"a worker on the {version.name} failed: {failure(done.stderr)}; {advice}"
        )
    result: Result = json.loads(lines[-1])
    library = Path(result["library"]).resolve()
    if not library.is_relative_to(version.src.resolve()):
        raise BenchmarkError(
            f"the worker for the {version.name} imported the library from {library.parent}, "
            f"not from {version.src}: check PYTHONPATH and any .pth file that comes first"
        )
    return result


def failure(stderr: str) -> str:
    """The last line of a worker's error output, with the innermost place it names."""
    lines = [line.strip() for line in stderr.strip().splitlines()]
    if not lines:
        return "no message"
    places = [line for line in lines if line.startswith('File "')]
    return f"{lines[-1]} ({places[-1]})" if places else lines[-1]


def in_rounds(
    found: Sequence[Version], rounds: int, run: Callable[[Version], Result]
) -> dict[str, list[Result]]:
    """Call ``run`` on each version in turn, ``rounds`` times; the results by version name.

    Who goes first alternates from one round to the next (A B, B A, A B...), so that neither
    version always runs on a machine that has just warmed up or calmed down.
    """
    results: dict[str, list[Result]] = {version.name: [] for version in found}
    for number in range(rounds):
        order = found if number % 2 == 0 else list(reversed(found))
        for version in order:
            results[version.name].append(run(version))
    return results


def emit(**figures: Any) -> None:
    """Print a worker's result as one JSON line, with where the library was imported from."""
    import vss_care_core  # noqa: PLC0415 - a worker imports the version it was started on

    print(json.dumps({"library": vss_care_core.__file__, **figures}))


def timed(work: Callable[[], T], *, collector: bool = False) -> tuple[float, T]:
    """CPU seconds this process spent in ``work()``, and what it returned.

    The garbage collector is paused while it runs (as ``timeit`` does) unless ``collector``;
    what ``work`` returns is freed by the caller, after the clock has stopped.
    """
    gc.collect()
    if not collector:
        gc.disable()
    try:
        began = time.process_time()
        kept = work()
        seconds = time.process_time() - began
    finally:
        gc.enable()
    return seconds, kept


def cpu_seconds(work: Callable[[], object], *, collector: bool = False) -> float:
    """CPU seconds of ``work()``, as :func:`timed` measures them."""
    return timed(work, collector=collector)[0]


def least_cpu_seconds(work: Callable[[], object], repeat: int) -> float:
    """The least of ``repeat`` runs of :func:`cpu_seconds` (the run least disturbed)."""
    return min(cpu_seconds(work) for _ in range(repeat))


def least_timed(work: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The least CPU seconds of ``repeat`` runs of ``work()``, and what its last run returned.

    Each run's result is freed only after the next run's clock has stopped.
    """
    seconds, kept = timed(work)
    for _ in range(repeat - 1):
        again, kept = timed(work)
        seconds = min(seconds, again)
    return seconds, kept


def digest(values: Iterable[object]) -> str:
    """A short fingerprint of results, to tell whether two versions computed the same."""
    hasher = hashlib.sha256()
    for value in values:
        hasher.update(str(value).encode())
        hasher.update(b"\n")
    return hasher.hexdigest()[:16]


# -- comparison -------------------------------------------------------------------------------
def duration(seconds: float) -> str:
    """A duration with a unit that keeps three or four digits (µs, ms or s)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds:,.2f} s"


def least(results: Sequence[Result], key: str) -> float:
    """The least of ``results[...]["seconds"][key]`` over the rounds."""
    return min(float(result["seconds"][key]) for result in results)


def compare(results: Mapping[str, Sequence[Result]], labels: Mapping[str, str]) -> bool:
    """Print each measurement of ``labels`` for both versions; True when none is over budget.

    ``results`` maps the version names (the baseline first, as :func:`in_rounds` gives them) to
    their workers' results, whose ``seconds`` hold one figure per key of ``labels``. With the
    working tree alone, only its figures are printed.
    """
    names = list(results)
    working = results[WORKING_TREE.name]
    width = max(len(label) for label in labels.values())
    if len(names) == 1:
        print(f"   {'measurement':<{width}} {'working tree':>13}   (least of {len(working)})")
        for key, label in labels.items():
            print(f"   {label:<{width}} {duration(least(working, key)):>13}")
        print()
        return True
    baseline = results[names[0]]
    rounds = {
        key: ", ".join(
            f"{float(new['seconds'][key]) / float(old['seconds'][key]):.2f}"
            for old, new in zip(baseline, working, strict=True)
        )
        for key in labels
    }
    spread = max(len("round by round"), *(len(text) for text in rounds.values()))
    print(f"   ratio = working tree / {names[0]}; budget: at most {1 + BUDGET:.2f}x")
    print(
        f"   {'measurement':<{width}} {'baseline':>12} {'working tree':>13} {'ratio':>7}  "
        f"{'round by round':<{spread}}  verdict"
    )
    within = True
    for key, label in labels.items():
        before, after = least(baseline, key), least(working, key)
        ratio = after / before
        verdict = "ok" if ratio <= 1 + BUDGET else f"SLOWER by {ratio - 1:.0%}"
        within = within and ratio <= 1 + BUDGET
        print(
            f"   {label:<{width}} {duration(before):>12} {duration(after):>13} {ratio:>6.2f}x  "
            f"{rounds[key]:<{spread}}  {verdict}"
        )
    fingerprints = {result.get("digest") for runs in results.values() for result in runs}
    if None not in fingerprints:
        same = "yes" if len(fingerprints) == 1 else "no (a fix or a new figure changes them too)"
        print(f"   same results in both versions: {same}")
    print()
    return within


def fail(script: str, error: BenchmarkError) -> int:
    """Print why a benchmark cannot run, without a traceback; the exit status to return."""
    print(f"{Path(script).name}: {error}", file=sys.stderr)
    return 2
