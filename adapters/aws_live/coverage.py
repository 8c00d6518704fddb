"""Data paths the pack judges before deployment that the live auditor does not read yet, with the reason.

``enclave rules`` lists them, so a reviewer knows which flows only the pre-deployment gate covers.
"""

from __future__ import annotations

UNSCANNED: tuple[tuple[str, str], ...] = (
    ("EventBridge global endpoints, API destinations, Pipes and Scheduler", "no scanner yet; judged by the pack"),
    ("Kinesis Data Streams resource policies and stream consumers", "no scanner yet; judged by the pack"),
    ("IoT topic rules", "no scanner yet; judged by the pack"),
    (
        "DMS tasks and endpoints, DataSync tasks and locations, Transfer Family connectors",
        "no scanner yet; judged by the pack",
    ),
    ("RDS snapshot copies and Aurora cluster snapshot sharing", "only manual DB snapshot sharing is read"),
    ("Redshift datashares and DynamoDB table exports", "no scanner yet; judged by the pack"),
    (
        "KMS grants, and S3, ECR, Secrets Manager and KMS resource-policy principals",
        "these scanners read placement, keys and replication, not policy principals yet; judged by the pack",
    ),
    ("VPC endpoint service principals and supported regions", "no scanner yet; judged by the pack"),
    (
        "CloudFormation stacks and StackSets",
        "the template's resources are scanned where they are deployed; the stack itself is not read",
    ),
    ("Global Accelerator endpoint groups and cross-account attachments", "no scanner yet; judged by the pack"),
    ("Bedrock inference profiles and agents' models (cross-region geographies)", "no scanner yet; judged by the pack"),
    ("VPN customer gateways, AppFlow flows", "no scanner yet; judged by the pack"),
    ("URLs in instance user data, commands and other scripts", "user data is not read yet; judged by the pack"),
    ("Other providers' resources (SaaS, other clouds)", "outside AWS: the auditor reads one AWS account"),
)
