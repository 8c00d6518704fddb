"""Serves a Pulumi Python program to the real CLI: ``python -m tests.engine.program_host <program-dir>``.

The CLI normally starts the Python language host (``pulumi-language-python``), which the Go module proxy
does not serve (see scripts/engine.sh). The CLI's other way in is the one the Automation API uses for
inline programs: ``pulumi <command> --client=<address> --exec-kind auto.inline``, where ``<address>`` is a
LanguageRuntime gRPC server that runs the program in-process. This is that server, with the SDK's own
implementation (``pulumi.automation._server.LanguageServer``); the program runs as the language host's
``pulumi-language-python-exec`` runs it: ``runpy.run_path`` on its main file, with the program's folder as
the working directory and first on ``sys.path``.

Prints the port on the first line of stdout, then serves until killed.
"""

from __future__ import annotations

import os
import runpy
import sys
from concurrent import futures
from pathlib import Path

import grpc
import yaml
from pulumi.automation._server import LanguageServer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import language_pb2_grpc


def main_file(program_dir: Path) -> Path:
    """The program's entry point: Pulumi.yaml's ``main`` (a file or a folder), else ``__main__.py``."""
    project = yaml.safe_load((program_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    main = program_dir / str(project.get("main") or ".")
    return main / "__main__.py" if main.is_dir() else main


def serve(program_dir: Path) -> None:
    entry = main_file(program_dir)
    os.chdir(program_dir)
    sys.path.insert(0, str(program_dir))

    def program() -> None:
        runpy.run_path(str(entry), run_name="__main__")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_CHANNEL_OPTIONS)
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    serve(Path(sys.argv[1]).resolve())
