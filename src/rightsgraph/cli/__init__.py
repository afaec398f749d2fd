"""The command line: ``rightsgraph`` and its subcommands, thin layers over the library."""

from rightsgraph.cli.commands import main

__all__ = ["main"]
