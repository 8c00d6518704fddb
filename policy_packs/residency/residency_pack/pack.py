"""Construct and serve the residency pack (called only from policy_packs/residency/__main__.py).

``pulumi_policy.PolicyPack`` builds its Analyzer servicer, starts the gRPC server, prints the port and blocks.
This does the same with one difference: its servicer also reads ``residency-context``'s policy-pack config
when the engine sends Configure (before any Analyze), and hands the resulting ``PackSettings`` to every
policy. So no policy depends on another having run first, and there is no module-level state.
"""

from __future__ import annotations

import gc
import sys
import time
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _GRPC_CHANNEL_OPTIONS, _PolicyAnalyzerServicer

from adapters.pulumi.resources import load_extractors
from residency_pack.policies import CONTEXT_POLICY, PACK_NAME, PackSettings, build_policies

DESCRIPTION = "Data residency: location, key custody, transfer vectors and enclave controls per jurisdiction."
# PulumiPolicy.yaml's `version` is what the engine reports; pulumi_policy's own placeholder, as PolicyPack sends.
PLACEHOLDER_VERSION = "0.0.1"


class PackServicer(_PolicyAnalyzerServicer):
    """pulumi_policy's servicer, plus: Configure also sets the pack's settings from residency-context's config."""

    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir.resolve()
        self.settings = PackSettings(self.pack_dir)
        super().__init__(
            PACK_NAME,
            PLACEHOLDER_VERSION,
            build_policies(lambda: self.settings),
            EnforcementLevel.MANDATORY,
            None,
            DESCRIPTION,
            "Regional data enclaves: residency",
            None,
            "aws",
            ["residency", "gdpr", "data-sovereignty"],
            None,
        )

    def Configure(self, request: Any, context: Any) -> Any:
        response = super().Configure(request, context)  # type: ignore[no-untyped-call]
        config = {}
        if CONTEXT_POLICY in request.policyConfig:
            config = json_format.MessageToDict(request.policyConfig[CONTEXT_POLICY].properties)
        # One reference swap: a request already running keeps the settings it started with.
        self.settings = PackSettings.from_config(self.pack_dir, config)
        return response


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
