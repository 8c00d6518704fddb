"""The offline residency gate: run a Pulumi program under mocks, judge it with the residency pack over the
engine's own gRPC path, scan it with checkov through a Terraform-plan bridge, and report in every CI format."""
