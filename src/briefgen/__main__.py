"""Allow ``python -m briefgen``: the same entry point as the ``briefgen`` script."""

from briefgen.cli import main

main()
