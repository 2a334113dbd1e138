"""What decides the queue: department or triage, and the deadline (the SLA on the working-day calendar)."""
