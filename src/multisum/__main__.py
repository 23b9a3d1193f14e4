"""``python -m multisum``: the same command line as the ``multisum`` script."""

from multisum.cli import main

main()
