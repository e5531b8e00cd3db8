"""Allow ``python -m briefgen``: the same entry point as the ``briefgen`` script."""

from briefgen.cli import process_main

process_main()
