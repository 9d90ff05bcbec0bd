"""`python -m madoguchi` runs the CLI."""

from madoguchi.cli import main

main()
