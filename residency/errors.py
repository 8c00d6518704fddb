"""Errors the domain core raises. Each carries one human-readable line naming the bad value."""

from __future__ import annotations


class ResidencyError(ValueError):
    """Base class: bad input to the domain core. ``str(err)`` is a one-line message."""


class CatalogueError(ResidencyError):
    """The jurisdiction catalogue is malformed."""


class ConfigError(ResidencyError):
    """A stack's configuration is invalid. ``key`` names the config key at fault."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


class RegistryError(ResidencyError):
    """A transfer-assessment or exemption registry is malformed."""
