"""ulakbel — the Chalice application. Composition only: blueprints and observability middleware.

Nothing here touches AWS at import time (lazy factories in chalicelib.container), and handlers import
their use cases lazily, so a cold start pays only for Chalice and this module list.
"""
from chalice import Chalice

from chalicelib.handlers import (
    analytics_api,  # GET /analytics/... JSON, CSV, XLSX
    console,  # /console staff screen, /seffaf public page
    console_live,  # /console/poll/replies: citizens' replies on the inbox rows shown
    departments_api,  # department queues: lease, ack, release
    events_inbound,  # SNS/Connect/scheduled intake: e-mail, two-way SMS, Amazon Connect, Netgsm
    health,
    imports_api,  # CİMER and e-Devlet imports
    open311_api,  # /open311/v2 (citizens' mobile app) and /app
    openapi,  # GET /openapi.json
    outbound_api,  # replies, tracking, delivery callbacks
    outbound_jobs,  # outbound queue consumer, SES delivery events
    privacy_api,  # KVKK: erase, retention
    push_api,  # Web Push for the citizens' app (VAPID key, subscriptions)
    requests_api,  # /requests
    voicemail,  # Twilio/Connect voicemail → Amazon Transcribe (tr-TR) → transcript on the request
    webhooks_social,  # Facebook, Messenger, Instagram, WhatsApp, X, YouTube
    webhooks_twilio,  # SMS and phone (Twilio)
    workflow_api,  # assign, forward, merge, notes, escalation
)
from chalicelib.handlers.middleware import register
from chalicelib.handlers.stream import (  # every DynamoDB stream consumer
    analytics as analytics_stream,  # request changes → neighbourhood × category counters
    notify as notify_stream,  # timeline events → citizen notifications
    route as route_stream,  # new requests → department queues
    workflow as workflow_stream,  # reopened requests → back into the department queue
)

# configure_logs=False: chalicelib.observability owns logging (one scrubbing JSON handler, no plain duplicate).
app = Chalice(app_name="ulakbel", configure_logs=False)
app.experimental_feature_flags.update(["BLUEPRINTS"])
app.api.binary_types.append("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
app.api.binary_types.append("multipart/form-data")  # console uploads (.xlsx): bytes must arrive unmangled

for blueprint in (
    health.bp, requests_api.bp, departments_api.bp,
    webhooks_social.bp, webhooks_twilio.bp, events_inbound.bp, imports_api.bp, open311_api.bp,
    workflow_api.bp, outbound_api.bp, outbound_jobs.bp,
    analytics_api.bp, console.bp, console_live.bp,
    openapi.bp, privacy_api.bp, voicemail.bp, push_api.bp,
    route_stream.bp, analytics_stream.bp, workflow_stream.bp, notify_stream.bp,
):
    app.register_blueprint(blueprint)

register(app)
