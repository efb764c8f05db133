"""The demo simulation: the Customer Care Center at realistic volume, through the public API."""

from vss_care_core.simulation._demo import (
    DEFAULT_SEED,
    DEFAULT_START,
    DemoAssumptions,
    DemoResult,
    Simulation,
    run_demo,
    simulate,
    simulate_in,
)

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DemoAssumptions",
    "DemoResult",
    "Simulation",
    "run_demo",
    "simulate",
    "simulate_in",
]
