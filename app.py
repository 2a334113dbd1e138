"""ulakbel — the Chalice application. Composition only: blueprints and observability middleware.

Nothing here touches AWS at import time (lazy factories in chalicelib.container).
"""
from chalice import Chalice

from chalicelib.handlers import departments_api, health, requests_api, stream
from chalicelib.handlers.middleware import register

app = Chalice(app_name="ulakbel")
app.experimental_feature_flags.update(["BLUEPRINTS"])

for blueprint in (health.bp, requests_api.bp, departments_api.bp, stream.bp):
    app.register_blueprint(blueprint)
from chalicelib.handlers import openapi  # noqa: E402  GET /openapi.json (issue 11)
app.register_blueprint(openapi.bp)
from chalicelib.handlers import privacy_api  # noqa: E402  KVKK: erase, retention (issue 11)
app.register_blueprint(privacy_api.bp)

register(app)
