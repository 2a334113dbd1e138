"""Every DynamoDB stream consumer, in one place. Each reads records through the one decoder
(`container.decode_stream_record` → chalicelib/adapters/stream_records.py) and calls one use case:

    route.py      route_requests      a new request → classified, queued for its department
    analytics.py  aggregate_requests  a request header change → neighbourhood × category counters
    workflow.py   workflow_events     a `reopened` event → the request back in its department's queue
    notify.py     notify_citizens     a received/routed/status event → the citizen's notification

The event-source mappings (ReportBatchItemFailures, bisect, on-failure destination, filters) are declared in
infra/, because Chalice cannot declare them; locally the dev pump (ulakbel_cli/pump.py) invokes these
functions by name. resources.STREAM_CONSUMERS lists them.
"""
