"""SMS through Amazon SNS publish to an E.164 number."""
