"""Adapters: turn Pulumi resource properties or boto3 descriptions into the domain core's facts."""
