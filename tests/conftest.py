"""Fixtures shared across the test tree (each starts only when a test asks for it)."""

pytest_plugins = ["tests.moto_world", "tests.residency_pack.fixtures"]
