"""Use cases: one function per thing a citizen, a staff member or a scheduled job does.

They take domain models and ports, never chalice or boto3 objects.
"""
