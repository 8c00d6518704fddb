"""`enclave pack build --output DIR`: the residency policy pack as a folder `pulumi policy publish` uploads."""

from __future__ import annotations

import argparse
from pathlib import Path

from enclave.pack_build import build_pack


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("pack", help="build the residency policy pack for `pulumi policy publish`")
    actions = p.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="write a self-contained pack folder (code, pinned requirements)")
    build.add_argument("--output", type=Path, required=True, metavar="DIR", help="a new (or empty) directory")
    build.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = build_pack(args.output)
    print(f"built {out}: publish it with `pulumi policy publish <org>` from that folder")
    return 0
