"""The residency policy pack's importable parts: policies, context, and the engine client."""
