"""Drive a CrossGuard policy pack over the Analyzer gRPC protocol, as the Pulumi engine does (no Pulumi CLI).

Independent of this project's pack and of how resources were captured: it takes any resources that look
like ``AnalyzedResource`` and any pack directory.
"""
