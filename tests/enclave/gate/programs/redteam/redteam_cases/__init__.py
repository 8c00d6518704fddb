"""The red-team cases, by module: outbound paths, evasions of the program's shape, and home equivalents."""

from redteam_cases import evasions, home_delivery, home_sharing, outbound_delivery, outbound_sharing  # noqa: F401
from redteam_cases.registry import CASES, Case

__all__ = ["CASES", "Case"]
