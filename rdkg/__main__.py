"""``python -m rdkg …`` — the same as the ``rdkg`` command."""

from rdkg.cli import main

main()
