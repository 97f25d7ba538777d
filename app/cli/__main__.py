"""``python -m app.cli``: the `ktp` command without the console script (tests, containers)."""

from . import main

main()
