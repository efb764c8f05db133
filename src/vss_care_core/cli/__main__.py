"""``python -m vss_care_core.cli``: the ``vss-care`` command."""

from vss_care_core.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
