"""Shared test settings: hypothesis profiles.

``ci`` (the default) is sized for CI and derandomized, so that a run gives the same result on
every machine. ``explore`` draws new random examples, and more of them where a test does not set
its own number: ``python3 -m pytest --hypothesis-profile=explore``.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")
