"""Every test here runs with test AWS credentials and no access to this machine's AWS configuration."""

import pytest


@pytest.fixture(autouse=True)
def _aws_env(aws_test_env: None) -> None:
    pass
