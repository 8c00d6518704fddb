from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.engine.harness import Deployment, install_plugins, require_engine


@pytest.fixture(scope="session")
def pulumi_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PULUMI_HOME with the stand-in plugins (per test process)."""
    require_engine()
    home = tmp_path_factory.mktemp("pulumi-home")
    install_plugins(home)
    return home


DeploymentFactory = Callable[[Path, str, Mapping[str, Any], str], Deployment]


@pytest.fixture
def deployment(tmp_path: Path, pulumi_home: Path) -> DeploymentFactory:
    def make(program_dir: Path, stack: str, config: Mapping[str, Any], account: str) -> Deployment:
        return Deployment(tmp_path, pulumi_home, program_dir, stack, config, account)

    return make
