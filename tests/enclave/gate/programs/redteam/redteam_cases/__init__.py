"""The red-team cases, by module: outbound paths, evasions of the program's shape, and home equivalents."""

from redteam_cases import (  # noqa: F401  (each registers its cases)
    evasions,
    home_delivery,
    home_sharing,
    outbound_delivery,
    outbound_more,
    outbound_sharing,
)
from redteam_cases.registry import CASES, Case

__all__ = ["CASES", "Case"]
