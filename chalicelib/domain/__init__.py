"""The municipality's domain: requests, channels, departments and their rules.

Nothing here imports chalice or boto3, so the rules are testable without AWS and
portable if the HTTP framework ever changes.
"""
