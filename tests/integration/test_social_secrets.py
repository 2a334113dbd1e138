"""Channel secrets: environment first; in AWS stages Secrets Manager `ulakbel/<stage>/<NAME>`."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_settings():
    """The stage is read once into cached settings: rebuild them after each test's env changes."""
    from chalicelib import container

    yield
    container.reset()


def test_env_first_then_secrets_manager_and_missing_is_none(aws, monkeypatch):
    import boto3

    from chalicelib import container
    from chalicelib.adapters.social_secrets import secret

    monkeypatch.setenv("ULAKBEL_STAGE", "dev")
    container.reset()
    sm = boto3.client("secretsmanager", region_name="eu-central-1")
    sm.create_secret(Name="ulakbel/dev/X_CONSUMER_SECRET", SecretString="from-secrets-manager")
    monkeypatch.delenv("X_CONSUMER_SECRET", raising=False)
    assert secret("X_CONSUMER_SECRET") == "from-secrets-manager"
    monkeypatch.setenv("X_CONSUMER_SECRET", "from-env")
    assert secret("X_CONSUMER_SECRET") == "from-env"
    assert secret("YOUTUBE_API_KEY_NOT_THERE") is None


def test_local_stage_never_calls_aws(monkeypatch):
    from chalicelib import container
    from chalicelib.adapters.social_secrets import secret

    monkeypatch.setenv("ULAKBEL_STAGE", "local")
    from aws_lambda_powertools.utilities import parameters

    calls = []
    monkeypatch.setattr(parameters, "get_secret", lambda *a, **k: calls.append(a) or "leaked")
    container.reset()
    monkeypatch.delenv("META_APP_SECRET", raising=False)
    assert secret("META_APP_SECRET") is None and calls == []
    monkeypatch.setenv("ULAKBEL_STAGE", "prod")
    container.reset()
    assert secret("META_APP_SECRET") == "leaked" and calls == [("ulakbel/prod/META_APP_SECRET",)]
