"""The registration's stack trace, built as the Pulumi SDK builds it but without reading source files.

Every registration carries the stack of the program code that made it (``stackTrace``: the gate reports
where each resource was declared). The SDK's ``_get_stack_trace`` gets it from ``traceback.extract_stack``,
which also looks up every frame's source line through ``linecache`` (a ``stat`` of each file, every time)
and builds a ``pathlib.Path`` per frame for its URI; that was about a tenth of an offline run. The trace
sent is only files and line numbers, so ``fast_stack_trace`` walks the frames directly and caches each
file's URI. ``tests/offline/test_stack_trace.py`` checks it against the SDK's own function.
"""

from __future__ import annotations

import contextlib
import functools
import pathlib
import sys
from collections.abc import Iterator
from types import FrameType

from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import source_pb2

# The SDK's trace starts below the third ``__init__`` from the top: Resource's, CustomResource's (or
# ComponentResource's), then the concrete resource class's, whose caller is the program.
_INITS_ABOVE_THE_PROGRAM = 3


def _uri(filename: str) -> str | None:
    try:
        return pathlib.Path(filename).as_uri()
    except BaseException:  # as the SDK: a relative name ("<string>") has no file URI
        return None


@functools.cache
def _stack_frame(filename: str, line: int | None) -> source_pb2.StackFrame:
    # Cached: a program registers from a few hundred places; StackTrace(frames=...) copies each message.
    uri = _uri(filename) if filename else None
    if uri is None or line is None:
        return source_pb2.StackFrame()
    return source_pb2.StackFrame(pc=source_pb2.SourcePosition(uri=uri, line=line))


def fast_stack_trace() -> source_pb2.StackTrace:
    """What ``pulumi.runtime.resource._get_stack_trace`` returns when called from the same place: the frames
    below the third ``__init__`` counted upwards from here, innermost first."""
    frame: FrameType | None = sys._getframe()
    seen = 0
    while frame is not None:
        if frame.f_code.co_name == "__init__":
            seen += 1
            if seen == _INITS_ABOVE_THE_PROGRAM:
                break
        frame = frame.f_back
    if frame is None or frame.f_back is None:  # as the SDK: not found, or nothing below it
        return source_pb2.StackTrace()
    frames = []
    below: FrameType | None = frame.f_back
    while below is not None:
        frames.append(_stack_frame(below.f_code.co_filename, below.f_lineno))
        below = below.f_back
    return source_pb2.StackTrace(frames=frames)


@contextlib.contextmanager
def cheap_stack_traces() -> Iterator[None]:
    """Registrations made inside get their stack trace from ``fast_stack_trace``; the SDK's afterwards."""
    original = sdk_resource._get_stack_trace
    sdk_resource._get_stack_trace = fast_stack_trace
    try:
        yield
    finally:
        sdk_resource._get_stack_trace = original
