"""Entry point the Pulumi engine runs (``python -m pulumi.policy <engine> <this dir>``).

Thin by design: the policies live in ``residency_pack`` (importable and tested); this file only serves them.
The pack's virtualenv (PulumiPolicy.yaml) is the project's ``.venv``, where ``enclave`` is installed.
"""

from pathlib import Path

from residency_pack.pack import serve

serve(Path(__file__).resolve().parent)
