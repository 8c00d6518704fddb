"""The live scanners register themselves by module: every module of adapters/aws_live (but api) is a scanner."""

from __future__ import annotations

import importlib
import pkgutil

import adapters.aws_live as aws_live
from adapters.aws_live import NOT_SCANNERS, SCANNERS


def test_every_module_contributes_its_scanners_and_nothing_is_skipped() -> None:
    modules = {m.name for m in pkgutil.iter_modules(aws_live.__path__)} - NOT_SCANNERS
    contributed: set[str] = set()
    for name in modules:
        module = importlib.import_module(f"adapters.aws_live.{name}")
        declared = getattr(module, "SCANNERS", None) or (module.SCANNER,)
        assert declared, name
        contributed.update(s.name for s in declared)
    assert contributed == set(SCANNERS)
    assert {"s3", "kms", "docdb", "neptune", "elasticache"} <= set(SCANNERS)


def test_services_are_listed_by_name() -> None:
    assert list(SCANNERS) == sorted(SCANNERS)
