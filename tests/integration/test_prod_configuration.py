"""The prod configuration in process, on moto: the environment and secrets chalicelib/config.py gives the
api_handler (what infra/ deploys and `ulakbel dev --stage prod` starts), and what happens when one is missing."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
RESOURCES = {"ULAKBEL_TABLE": "ulakbel-local-requests", "PUBLIC_BASE_URL": "https://ulakbel.talas.bel.tr",
             "COGNITO_ISSUER": "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_test",
             "COGNITO_AUDIENCE": "client", "COGNITO_HOSTED_UI": "https://auth.example",
             "INBOUND_EMAIL_TOPIC_ARNS": "arn:aws:sns:eu-central-1:123456789012:ulakbel-prod-inbound-email"}


def _cold_start():
    """Parse the settings now, as a Lambda cold start would (chalice's test client sets the `local` stage's
    config variables around each call)."""
    from chalicelib import container

    container.reset()
    assert container.settings().stage == "prod"


@pytest.fixture
def prod(client, monkeypatch):
    """The api_handler's prod environment, its secrets created in moto with generated values."""
    import secrets

    import boto3
    from aws_lambda_powertools.utilities import parameters

    from chalicelib import config, container

    sm = boto3.client("secretsmanager", region_name="eu-central-1")
    values = {}
    for spec in config.function_secrets("prod", "api_handler"):
        values[spec.env_var] = secrets.token_urlsafe(24)
        sm.create_secret(Name=spec.name, SecretString=values[spec.env_var])
    for key, value in config.lambda_environment("prod", "api_handler", RESOURCES).items():
        monkeypatch.setenv(key, value)
    for key in ("ULAKBEL_DEV_SIGNING_KEY", "OPEN311_DEV_API_KEY", "ULAKBEL_PII_PEPPER"):
        monkeypatch.delenv(key, raising=False)
    parameters.clear_caches()
    _cold_start()
    yield values
    parameters.clear_caches()
    monkeypatch.undo()
    container.reset()


def test_prod_health_is_ok_with_every_secret_and_names_the_missing_one(client, prod):
    import boto3
    from aws_lambda_powertools.utilities import parameters

    r = client.http.get("/health")
    assert r.status_code == 200 and r.json_body["stage"] == "prod", r.body
    boto3.client("secretsmanager", region_name="eu-central-1").delete_secret(
        SecretId="ulakbel/prod/ULAKBEL_PII_PEPPER", ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()
    r = client.http.get("/health")
    assert r.status_code == 503 and r.json_body["missing"] == ["ULAKBEL_PII_PEPPER (unreadable)"]
    assert prod["ULAKBEL_LINK_SIGNING_KEY"] not in r.body.decode()  # names only, never values


def test_prod_health_names_a_secret_reference_infra_did_not_give(client, prod, monkeypatch):
    from chalicelib import container

    monkeypatch.delenv("OPEN311_APP_API_KEY_SECRET_ID")
    _cold_start()
    r = client.http.get("/health")
    assert r.status_code == 503 and "OPEN311_APP_API_KEY_SECRET_ID" in r.json_body["missing"]


def test_the_citizens_app_files_with_its_own_key_from_secrets_manager(client, prod):
    """The app page embeds OPEN311_APP_API_KEY; that key files a request carrying a phone number, whose KVKK
    citizen key needs ULAKBEL_PII_PEPPER (both used to be read by the code and provisioned by nothing)."""
    page = client.http.get("/app").body.decode()
    assert json.dumps(prod["OPEN311_APP_API_KEY"]) in page
    body = urlencode({"api_key": prod["OPEN311_APP_API_KEY"], "service_code": "cop_toplama",
                      "lat": "38.6920", "long": "35.5480", "phone": "05321234567",
                      "description": "Konteyner taşıyor"})
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=body)
    assert r.status_code == 200, r.body
    wrong = body.replace(prod["OPEN311_APP_API_KEY"], "o311_guess")
    assert client.http.post("/open311/v2/requests.json", headers=FORM, body=wrong).status_code == 403


def test_prod_intake_without_the_pepper_is_a_configuration_error_and_stores_nothing(client, prod):
    import boto3
    from aws_lambda_powertools.utilities import parameters

    boto3.client("secretsmanager", region_name="eu-central-1").delete_secret(
        SecretId="ulakbel/prod/ULAKBEL_PII_PEPPER", ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()
    body = urlencode({"api_key": prod["OPEN311_APP_API_KEY"], "service_code": "cop_toplama",
                      "lat": "38.6920", "long": "35.5480", "phone": "05321234567",
                      "description": "Konteyner taşıyor"})
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=body)
    assert r.status_code == 503 and "ULAKBEL_PII_PEPPER" in r.body.decode(), r.body
    stored = boto3.client("dynamodb", region_name="eu-central-1").query(
        TableName="ulakbel-local-requests", IndexName="GSI5", KeyConditionExpression="GSI5PK = :all",
        ExpressionAttributeValues={":all": {"S": "ALL"}})
    assert stored["Count"] == 0
