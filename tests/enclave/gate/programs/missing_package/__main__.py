"""A program that needs a package the environment does not have."""

import pulumi_gcp  # noqa: F401  (not installed: the gate must name it)
