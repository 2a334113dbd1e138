"""ulakbel — the Chalice application. Composition only: blueprints and observability middleware.

Nothing here touches AWS at import time (lazy factories in chalicelib.container).
"""
from chalice import Chalice

from chalicelib.handlers import departments_api, health, requests_api, stream
from chalicelib.handlers.middleware import register
from chalicelib.handlers import webhooks_social
from chalicelib.handlers import workflow_api
from chalicelib.handlers import open311_api

# configure_logs=False: chalicelib.observability owns logging (one scrubbing JSON handler, no plain duplicate).
app = Chalice(app_name="ulakbel", configure_logs=False)
app.experimental_feature_flags.update(["BLUEPRINTS"])

for blueprint in (health.bp, requests_api.bp, departments_api.bp, stream.bp):
    app.register_blueprint(blueprint)
app.register_blueprint(webhooks_social.bp)

from chalicelib.handlers import analytics_api, analytics_stream, console  # noqa: E402  (issue 9)

app.api.binary_types.append("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
for blueprint in (analytics_api.bp, analytics_stream.bp, console.bp):
    app.register_blueprint(blueprint)
app.register_blueprint(workflow_api.bp)
app.register_blueprint(open311_api.bp)

from chalicelib.handlers import webhooks_twilio  # noqa: E402  (issue 4: phone, SMS, e-mail, desk)
app.register_blueprint(webhooks_twilio.bp)
from chalicelib.handlers import events_inbound  # noqa: E402
app.register_blueprint(events_inbound.bp)
from chalicelib.handlers import imports_api  # noqa: E402
app.register_blueprint(imports_api.bp)

from chalicelib.handlers import outbound_api, outbound_jobs  # noqa: E402  (issue 8: answering citizens)
app.register_blueprint(outbound_api.bp)
app.register_blueprint(outbound_jobs.bp)

register(app)
