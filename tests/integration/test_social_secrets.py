"""Channel secrets: the environment on local/test; on deployed stages the Secrets Manager secret named by
`<NAME>_SECRET_ID` (Powertools Parameters), never a value from the environment."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_settings():
    """The stage is read once into cached settings: rebuild them after each test's env changes."""
    from aws_lambda_powertools.utilities import parameters

    from chalicelib import container

    parameters.clear_caches()
    yield
    parameters.clear_caches()
    container.reset()


def test_deployed_stage_reads_the_named_secret_and_ignores_plain_values(aws, monkeypatch):
    import boto3

    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_STAGE", "dev")
    sm = boto3.client("secretsmanager", region_name="eu-central-1")
    sm.create_secret(Name="ulakbel/dev/X_CONSUMER_SECRET", SecretString="from-secrets-manager")
    monkeypatch.setenv("X_CONSUMER_SECRET_SECRET_ID", "ulakbel/dev/X_CONSUMER_SECRET")
    monkeypatch.setenv("X_CONSUMER_SECRET", "from-env")
    container.reset()
    assert container.secret("X_CONSUMER_SECRET") == "from-secrets-manager"
    assert container.secret("YOUTUBE_API_KEY") is None  # no reference: missing (webhook 401, /health says it)
    monkeypatch.setenv("YOUTUBE_API_KEY_SECRET_ID", "ulakbel/dev/YOUTUBE_API_KEY")  # named, not created
    container.reset()
    assert container.secret("YOUTUBE_API_KEY") is None
    with pytest.raises(KeyError):
        container.secret("NOT_A_SETTING")  # a typo is a programming error, not a missing secret


def test_local_stage_never_calls_aws(monkeypatch):
    from aws_lambda_powertools.utilities import parameters

    from chalicelib import container

    calls = []
    monkeypatch.setattr(parameters, "get_secret", lambda *a, **k: calls.append((a, k)) or "from-aws")
    monkeypatch.setenv("ULAKBEL_STAGE", "local")
    monkeypatch.delenv("META_APP_SECRET", raising=False)
    monkeypatch.setenv("META_APP_SECRET_SECRET_ID", "ulakbel/prod/META_APP_SECRET")
    container.reset()
    assert container.secret("META_APP_SECRET") is None and calls == []
    monkeypatch.setenv("ULAKBEL_STAGE", "prod")
    container.reset()
    assert container.secret("META_APP_SECRET") == "from-aws"
    assert calls == [(("ulakbel/prod/META_APP_SECRET",), {"max_age": 300})]
