"""Continuous oversight inside an enclave: the auditor's code run by AWS Lambda for AWS Config (one custom rule
per rule family) and for the daily scheduled evidence run. Packaged from this repository by
components/continuous_audit.py; boto3 is the Lambda runtime's own."""
