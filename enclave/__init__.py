"""Surfaces of the regional-enclave product: the `enclave` CLI and its commands."""

__version__ = "0.1.0"
