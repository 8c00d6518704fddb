"""Values the offline run cannot know, kept unknown (as in a preview) and traced to where they come from.

Another stack's outputs (a ``StackReference``) and the result of an invoke the mocks do not answer do not
exist offline. Reading them as absent (None, an empty map) would let a program take its region or a
destination from one and be judged on the fallback; so a program that reads one runs as a preview, where
the mocks answer with the engine's unknown sentinel, and every input that depends on one stays unknown.

``unknown_sources`` says, for each unknown input of a registration, where the unknown came from (the
stack reference and the outputs read from it, the resource whose output is only known after deployment,
or the invokes nobody answered), so a finding can name it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pulumi
from pulumi.runtime import rpc

STACK_REFERENCE = "pulumi:pulumi:StackReference"


def contains_unknown(value: Any) -> bool:
    """Whether a captured value (plain JSON with the engine's sentinel for unknowns) has an unknown in it."""
    if isinstance(value, str):
        return value == rpc.UNKNOWN
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


@contextlib.contextmanager
def recording_stack_reference_reads(reads: dict[str, list[str]]) -> Iterator[None]:
    """Record which outputs the program reads from each stack reference (by its logical name).

    ``StackReference.get_output`` and ``require_output`` read the outputs map on the client side, so no
    registration shows which output a value came from; the names are recorded here instead.
    """
    cls = pulumi.StackReference
    originals = {name: getattr(cls, name) for name in ("get_output", "require_output")}

    def recorder(method: Any) -> Any:
        def read(self: pulumi.StackReference, name: Any) -> Any:
            if isinstance(name, str):
                names = reads.setdefault(self._name, [])
                if name not in names:
                    names.append(name)
            return method(self, name)

        return read

    for name, method in originals.items():
        setattr(cls, name, recorder(method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(cls, name, method)


def describe_source(
    dependencies: Sequence[str],
    stack_references: Mapping[str, str],
    reads: Mapping[str, Sequence[str]],
    unanswered_invokes: Sequence[str],
) -> str:
    """Where an unknown input comes from, in words (its property dependencies name the resources)."""
    parts: list[str] = []
    for urn in dependencies:
        logical = urn.rsplit("::", 1)[-1]
        if urn in stack_references:
            names = reads.get(logical) or []
            outputs = ", ".join(repr(n) for n in names)
            # Dependencies are per resource, not per output: with several outputs read, any of them may be it.
            which = f" output {outputs}" if len(names) == 1 else f" (one of outputs {outputs})" if names else ""
            parts.append(f"StackReference {stack_references[urn]!r}{which}")
        else:
            type_ = urn.rsplit("::", 2)[-2].rsplit("$", 1)[-1] if urn.count("::") >= 3 else "a resource"
            parts.append(f"an output of {type_} {logical!r} known only after deployment")
    if not parts and unanswered_invokes:
        tokens = ", ".join(unanswered_invokes)
        parts.append(f"the result of an invoke the offline run cannot answer ({tokens})")
    return " and ".join(parts) if parts else "a value known only after deployment"
