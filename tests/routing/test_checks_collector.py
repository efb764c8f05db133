"""The checks pause the garbage collector and give it back as they found it."""

from __future__ import annotations

import gc

import pytest

from vss_care_core.routing import check_table

TABLE = """
[[rules]]
name = "phone"
when = { channel = ["phone"] }
destination = "VSS-CSKH"
[[rules]]
name = "phone health"
when = { channel = ["phone"], policy_area = ["health"] }
destination = "VSS-BHYT"
"""


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(enabled: bool) -> None:
    """Enabled before, enabled after; disabled by the caller, still disabled; and the checks
    still find the shadowed rule."""
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        problems = check_table(TABLE)
        assert gc.isenabled() is enabled
        assert any(problem.code == "shadowed" for problem in problems)
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_collector_restored_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error inside the checks does not leave the collector off."""

    def fail(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("vss_care_core.routing._checks.reachability", fail)
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="boom"):
        check_table(TABLE)
    assert gc.isenabled()
