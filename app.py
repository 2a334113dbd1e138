"""ulakbel — the Chalice application. Composition only: blueprints and observability middleware.

Nothing here touches AWS at import time (lazy factories in chalicelib.container).
"""
from chalice import Chalice

from chalicelib.handlers import departments_api, health, requests_api, stream
from chalicelib.handlers.middleware import register
from chalicelib.handlers import webhooks_social

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

register(app)
