"""X (Twitter): Account Activity API and X Activity API webhooks."""
