"""A provider executable on PATH wins over the plugin cache unless PULUMI_IGNORE_AMBIENT_PLUGINS is set.

The engine tier relies on this: it sets the variable, so a real pulumi-resource-aws on a developer's PATH
never answers instead of the stand-in installed in the test's PULUMI_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.engine.conftest import DeploymentFactory
from tests.engine.harness import ROOT

pytestmark = pytest.mark.engine

PROGRAM = ROOT / "tests" / "enclave" / "gate" / "programs" / "clean"


def ambient_aws(directory: Path, pulumi_home: Path) -> Path:
    """A ``pulumi-resource-aws`` on PATH that records that it ran, then serves as the stand-in does."""
    (cached,) = (pulumi_home / "plugins").glob("resource-aws-v*/pulumi-resource-aws")
    marker = directory / "ambient-aws-ran"
    script = directory / "pulumi-resource-aws"
    script.write_text(f'#!/bin/sh\ntouch {marker}\nexec {cached} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return marker


@pytest.mark.parametrize("ignore", [False, True], ids=["ambient-used", "ambient-ignored"])
def test_a_provider_on_path_is_used_unless_ambient_plugins_are_ignored(
    ignore: bool, deployment: DeploymentFactory, pulumi_home: Path, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "path-bin"
    bin_dir.mkdir()
    marker = ambient_aws(bin_dir, pulumi_home)
    run = deployment(PROGRAM, "dev", {"aws:region": "eu-west-1"}, "111111111101")
    run.env["PATH"] = f"{bin_dir}{os.pathsep}{run.env['PATH']}"
    if not ignore:
        del run.env["PULUMI_IGNORE_AMBIENT_PLUGINS"]
    preview = run.preview(policy=False)
    assert preview.returncode == 0, preview.explain()
    assert marker.exists() is not ignore
