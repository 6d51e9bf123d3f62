"""Run seloste as `python -m generator`."""

from .cli import main

main(prog_name="seloste")
