"""Run a Pulumi Python program offline, under Pulumi's own mock runtime, and capture what it registers."""
