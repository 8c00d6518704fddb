"""The `enclave` command line: one subcommand per module in ``enclave.commands``.

Every subcommand returns an exit code. Errors the user can fix (bad config, bad arguments, unreachable
endpoints) are one line on stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from enclave.errors import UsageError
from residency.errors import ResidencyError

__all__ = ["UsageError", "build_parser", "main"]

# Each module exposes register(subparsers) and sets `func` on its parser.
COMMAND_MODULES = ("plan", "check", "transfers", "audit", "rules", "pack", "deidentify")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="enclave", description="Regional data enclaves as code.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"enclave.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"enclave.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ResidencyError, UsageError) as err:
        print(f"enclave {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
