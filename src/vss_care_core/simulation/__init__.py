"""The demo simulation: the Customer Care Center at realistic volume, through the public API."""

from vss_care_core.simulation._demo import (
    DEFAULT_SEED,
    DEFAULT_START,
    DemoAssumptions,
    DemoResult,
    run_demo,
    simulate,
)

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DemoAssumptions",
    "DemoResult",
    "run_demo",
    "simulate",
]
