"""Construct and serve the residency pack (called only from policy_packs/residency/__main__.py).

``pulumi_policy.PolicyPack`` builds its Analyzer servicer, starts the gRPC server, prints the port and blocks.
This does the same with the pack's own servicer (``residency_pack.servicer``): it reads ``residency-context``'s
policy-pack config when the engine sends Configure (before any Analyze) and hands the resulting
``PackSettings`` to every policy, so no policy depends on another having run first and there is no
module-level state; and it reads and judges each resource once per request, for all the policies.
"""

from __future__ import annotations

import gc
import sys
import time
from concurrent import futures
from pathlib import Path

import grpc
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy.policy import _GRPC_CHANNEL_OPTIONS

from adapters.pulumi.resources import load_extractors
from residency_pack.servicer import PackServicer


def serve(pack_dir: Path) -> None:
    servicer = PackServicer(pack_dir)
    load_extractors()  # imported now, not on the first request, so that the freeze below covers them
    # Why: AnalyzeStack grew superlinearly in resources because every full collection scanned the whole
    # import heap (pulumi, grpc, protobuf, the rules) again. Frozen objects are never scanned; what the
    # requests allocate still is. Frozen last, after every import, just before the server starts.
    gc.freeze()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    while True:  # the engine stops the pack by ending the process, as with PolicyPack
        time.sleep(24 * 60 * 60)
