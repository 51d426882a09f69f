"""``python -m jwpextract``: the command line."""

from .cli import main

main()
