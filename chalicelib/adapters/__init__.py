"""Driven adapters: the only code that talks to AWS (boto3)."""
