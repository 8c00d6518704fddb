"""What an offline run captures: every resource as the engine would have seen it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CapturedResource:
    """One resource registration, as the engine receives it.

    ``inputs`` and ``outputs`` use the engine's camelCase wire names with plain JSON values (secrets
    unwrapped, unknowns as None). ``provider`` is the URN of the explicit provider (without the
    ``::id`` suffix), or None for the default provider. ``region`` is the effective region: the
    resource's own ``region`` input, else its provider's, else the stack's ``aws:region``.
    """

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    parent: str | None = None
    provider: str | None = None
    region: str | None = None
    protect: bool = False
    retain_on_delete: bool = False
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    # Inputs that are unknown (a preview's values the offline run cannot know), with where each comes from,
    # e.g. {"region": "StackReference 'acme/network/prod' output 'region'"}.
    unknown_sources: dict[str, str] = field(default_factory=dict)
    # Where the program registered the resource: the SDK's stack trace of the registration, innermost frame
    # first, each {"file": absolute path, "line": n} (RegisterResourceRequest.stackTrace/sourcePosition).
    frames: list[dict[str, Any]] = field(default_factory=list)
    # A multi-language (remote) component: its provider plugin creates its children at deployment, which an
    # offline run does not execute, so they are never seen here.
    remote: bool = False

    @property
    def is_provider(self) -> bool:
        return self.type.startswith("pulumi:providers:")


@dataclass
class ProgramRun:
    """The result of running one program for one stack."""

    project: str
    stack: str
    config: dict[str, str]
    resources: list[CapturedResource]
    # One line when the program stopped with an error (bad config, exception); None when it completed.
    error: str | None = None
    stack_outputs: dict[str, Any] = field(default_factory=dict)
    # The program's own traceback frames when it failed with an unexpected exception.
    error_detail: str | None = None
    # Invoke tokens the mocks had no answer for (the program saw an empty result).
    unanswered_invokes: list[str] = field(default_factory=list)
    # Stack references the program made (URN -> referenced stack) whose outputs do not exist offline.
    stack_references: dict[str, str] = field(default_factory=dict)
    # Stack references answered with outputs the user supplied (URN -> referenced stack).
    supplied_references: dict[str, str] = field(default_factory=dict)
    # Whether the run was a preview (values the offline run cannot know are unknown, not absent).
    preview: bool = False

    @property
    def reads_unknowable_values(self) -> bool:
        """The program read another stack's outputs or an invoke nobody answered: judge it as a preview."""
        return bool(self.stack_references or self.unanswered_invokes)

    def by_urn(self) -> dict[str, CapturedResource]:
        return {r.urn: r for r in self.resources}
