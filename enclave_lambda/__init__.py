"""AWS Lambda entry points packaged into every enclave (components/test_data.py) with the core.

They are thin: boto3 in, ``residency.deidentify`` in the middle, boto3 out. The code archive holds this
package, ``residency/`` and ``governance/datasets/``; Polars comes from the layer built from uv.lock
(``scripts/build_lambda_layer.sh``).
"""
