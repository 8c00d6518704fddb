"""Benchmark scripts (run as scripts; not tests)."""
