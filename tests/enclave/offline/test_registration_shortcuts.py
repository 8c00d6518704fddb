"""The offline runner's shortcuts through the SDK's registration path give what the SDK itself gives."""

from typing import Any

import pulumi
import pytest
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime import rpc
from pulumi.runtime.sync_await import _sync_await

from enclave.offline.monitor import state_struct
from enclave.offline.stack_trace import cheap_stack_traces, fast_stack_trace

Traces = list[tuple[Any, Any]]


class _Base:
    def __init__(self, traces: Traces) -> None:
        # One line: both functions see the same caller frames and line numbers.
        traces.append((sdk_resource._get_stack_trace(), fast_stack_trace()))


class _Middle(_Base):
    def __init__(self, traces: Traces) -> None:
        super().__init__(traces)


class _Concrete(_Middle):
    def __init__(self, traces: Traces) -> None:
        super().__init__(traces)


def _declare(traces: Traces) -> None:
    _Concrete(traces)


def test_stack_trace_is_the_sdks_below_the_third_init() -> None:
    traces: Traces = []
    _declare(traces)
    sdk, fast = traces[0]
    assert len(fast.frames) > 2  # the program's frames: _declare, this test, pytest's...
    assert fast == sdk
    assert fast.frames[0].pc.uri == f"file://{__file__}"
    assert fast.frames[0].pc.line == _declare.__code__.co_firstlineno + 1


def test_stack_trace_without_three_inits_is_empty_as_the_sdks() -> None:
    traces: Traces = []
    _Base(traces)
    sdk, fast = traces[0]
    assert sdk == fast
    assert len(fast.frames) == 0


def test_cheap_stack_traces_are_installed_only_inside() -> None:
    original = sdk_resource._get_stack_trace
    with cheap_stack_traces():
        assert sdk_resource._get_stack_trace is fast_stack_trace
    assert sdk_resource._get_stack_trace is original


STATES: list[dict[str, Any]] = [
    {"bucket": "data-1", "arn": "arn:aws:s3:::data-1", "forceDestroy": False, "count": 3, "ratio": 0.5},
    {"dropped": None, "nested": {"kept": None, "list": [None, 1, "x", True, {"a": []}]}, "tuple": ("a", 2)},
    {"unknown": rpc.UNKNOWN, "asset": {rpc._special_sig_key: rpc._special_asset_sig, "path": "/tmp/x"}},
    {},
]


@pytest.mark.parametrize("state", STATES)
def test_plain_state_serialises_as_the_sdk_does(state: dict[str, Any]) -> None:
    assert state_struct(state) == _sync_await(rpc.serialize_properties(state, {}))


def test_state_that_is_not_plain_json_goes_through_the_sdk() -> None:
    state = {"code": pulumi.StringAsset("print(1)"), "name": "f"}
    struct = state_struct(state)
    assert struct == _sync_await(rpc.serialize_properties(state, {}))
    assert struct["code"][rpc._special_sig_key] == rpc._special_asset_sig
