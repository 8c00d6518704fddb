"""The residency pack's own code: its CrossGuard policies, the context they judge in, and how they see a resource.

Runs inside the pack process (``policy_packs/residency/__main__.py``); the gate drives that process from
outside with ``policy_engine``.
"""
