"""One configuration table (chalicelib/config.py), one settings model, the only reader of the environment;
deployed stages get secrets from Secrets Manager (Powertools Parameters, cached) and never a constant."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from chalicelib import config
from chalicelib.domain.errors import ConfigurationError
from chalicelib.settings import Settings, parse_settings

ROOT = Path(__file__).resolve().parents[2]
# settings.py is the one reader; config.declared_stage() reads ULAKBEL_STAGE at import, before any model is
# built (pydantic stays out of the cold start). Data loaders get their files through domain/data_files.py
# (the composition root hands them the settings' paths), rate limits are settings.
DIRECT_READERS = {"chalicelib/settings.py", "chalicelib/config.py"}
BOOKKEEPING = {"local_secrets", "secret_ids", "plain_secrets"}


def test_the_settings_model_is_the_table():
    fields = set(Settings.model_fields) - BOOKKEEPING
    plain = {s.field for s in config.SETTINGS if s.kind not in ("secret", "local")}
    assert fields == plain, "every Settings field has exactly one row in chalicelib/config.py SETTINGS"
    for s in config.SETTINGS:
        if s.kind in ("secret", "local") and s.field != s.env.lower():
            assert isinstance(getattr(Settings, s.field), property), s.env
    assert len(config.BY_ENV) == len(config.SETTINGS)  # one row per variable


def _environ_reads(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            return True
    return False


def test_only_the_settings_module_reads_the_environment():
    readers = {str(p.relative_to(ROOT)) for p in (ROOT / "chalicelib").rglob("*.py") if _environ_reads(p)}
    assert readers <= DIRECT_READERS, sorted(readers - DIRECT_READERS)


@pytest.mark.parametrize("stage", config.DEPLOYED_STAGES)
def test_a_deployed_stage_never_falls_back_to_a_constant_secret(stage):
    s = parse_settings({"ULAKBEL_STAGE": stage, "ULAKBEL_DEV_SIGNING_KEY": "leaked-dev-key",
                        "OPEN311_DEV_API_KEY": "leaked-open311-key"})
    for spec in config.SETTINGS:
        if spec.kind in ("secret", "local"):
            assert s.secret(spec.env) is None, spec.env
    for prop in ("link_key", "open311_key_pepper"):
        with pytest.raises(ConfigurationError) as err:
            getattr(s, prop)
        assert err.value.http_status == 503 and "SECRET_ID" in err.value.message
    with pytest.raises(ConfigurationError):
        s.require_secret("ULAKBEL_PII_PEPPER")
    assert s.dev_signing_key is None and s.outbox is False
    assert s.meta_config().page_token is None and s.twilio_config().auth_token is None  # no dev-… placeholders
    assert s.public_base_url == "" and s.email_sender == ""  # no localhost or talas.bel.tr default either


def test_a_plain_secret_value_on_a_deployed_stage_is_reported_not_used():
    s = parse_settings({"ULAKBEL_STAGE": "prod", "ULAKBEL_PII_PEPPER": "plain"})
    assert s.pii_pepper is None
    assert "ULAKBEL_PII_PEPPER (plain value; use ULAKBEL_PII_PEPPER_SECRET_ID)" in \
        s.configuration_problems("api_handler", fetch=False)


def test_local_stage_keeps_its_dev_values():
    s = parse_settings({"ULAKBEL_STAGE": "local", "ULAKBEL_LINK_SIGNING_KEY": "from-dev-secrets"})
    assert s.link_key == "from-dev-secrets" and s.pii_pepper and s.outbox is True
    assert s.public_base_url == "http://127.0.0.1:8000" and s.configuration_problems() == []
    assert s.meta_config().page_token == "dev-meta_page_token"  # the outbox shows what would be sent


def test_lambda_environment_holds_secret_names_never_values():
    env = config.lambda_environment("prod", "api_handler", {"ULAKBEL_TABLE": "t", "PUBLIC_BASE_URL": None})
    assert env["ULAKBEL_PII_PEPPER_SECRET_ID"] == "ulakbel/prod/ULAKBEL_PII_PEPPER"
    assert env["ULAKBEL_LINK_SIGNING_KEY_SECRET_ID"] == "ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY"
    assert env["OPEN311_APP_API_KEY_SECRET_ID"] and env["OPEN311_KEY_PEPPER_SECRET_ID"]
    assert config.secret_values_in(env) == [] and "PUBLIC_BASE_URL" not in env
    assert config.missing_environment("prod", "api_handler", env) == [
        "COGNITO_AUDIENCE", "COGNITO_HOSTED_UI", "COGNITO_ISSUER", "INBOUND_EMAIL_TOPIC_ARNS", "PUBLIC_BASE_URL"]
    assert "NETGSM_PASSWORD_SECRET_ID" not in env  # only what this function reads
    assert {s.name for s in config.function_secrets("prod", "netgsm_poll")} == {
        "ulakbel/prod/NETGSM_USERCODE", "ulakbel/prod/NETGSM_PASSWORD", "ulakbel/prod/ULAKBEL_PII_PEPPER"}
    assert config.secret_specs("local") == [] and len({s.name for s in config.secret_specs("prod")}) == len(
        config.SECRETS)


def test_secrets_come_from_secrets_manager_through_powertools_and_are_cached(aws, monkeypatch):
    import boto3
    from aws_lambda_powertools.utilities import parameters

    from chalicelib import container

    sm = boto3.client("secretsmanager", region_name="eu-central-1")
    sm.create_secret(Name="ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY", SecretString="link-key-v1")
    parameters.clear_caches()
    monkeypatch.setenv("ULAKBEL_STAGE", "prod")
    monkeypatch.setenv("ULAKBEL_LINK_SIGNING_KEY_SECRET_ID", "ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY")
    container.reset()
    try:
        assert container.settings().link_key == "link-key-v1"
        sm.put_secret_value(SecretId="ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY", SecretString="link-key-v2")
        assert container.settings().link_key == "link-key-v1"  # cached (max_age), no call per request
        parameters.clear_caches()  # what max_age expiry does: rotation needs no cold start
        assert container.settings().link_key == "link-key-v2"
        sm.delete_secret(SecretId="ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY", ForceDeleteWithoutRecovery=True)
        parameters.clear_caches()
        with pytest.raises(ConfigurationError):
            container.settings().link_key
    finally:
        parameters.clear_caches()
        monkeypatch.undo()
        container.reset()


def test_one_process_hosting_every_function_gets_what_each_reads():
    """`ulakbel dev --stage prod` runs every function in one process: the union leaves none short."""
    env = config.process_environment("prod", {k: "value" for k in config.RESOURCE_VARIABLES})
    assert all(config.missing_environment("prod", f, env) == [] for f in config.FUNCTIONS)
    s = parse_settings(env)
    assert s.configuration_problems("send_outbound", fetch=False) == []
    assert set(s.secret_ids) == {spec.env_var for spec in config.secret_specs("prod")}


def test_data_loaders_get_their_files_from_the_one_settings_model(tmp_path, monkeypatch):
    """No loader reads the environment: a replacement file named in it reaches the loader through the settings
    (parsed once; the composition root hands the paths to domain/data_files.py)."""
    import json

    from chalicelib import container
    from chalicelib.domain import data_files
    from chalicelib.domain.departments import DEFAULT_FILE, municipality

    raw = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    raw["departments"][0]["name_tr"] = "Deneme Müdürlüğü"
    replacement = tmp_path / "departments.json"
    replacement.write_text(json.dumps(raw), encoding="utf-8")
    first = raw["departments"][0]["code"]
    assert municipality().department(first).name_tr != "Deneme Müdürlüğü"
    monkeypatch.setenv("ULAKBEL_DEPARTMENTS_FILE", str(replacement))  # conftest: settings parsed again
    assert container.settings().data_files == {"departments": str(replacement)}
    assert data_files.path("departments") == replacement
    assert municipality().department(first).name_tr == "Deneme Müdürlüğü"


def test_the_municipality_setting_selects_the_whole_folder(tmp_path, monkeypatch):
    """ULAKBEL_MUNICIPALITY (issue 22): a folder name under municipalities/ or an absolute path; every data
    file then comes from that folder; an unknown one is a clear configuration error."""
    import shutil

    from chalicelib import container
    from chalicelib.domain import data_files
    from chalicelib.domain.departments import municipality
    from chalicelib.domain.identity import identity

    default = municipality().code
    copy = tmp_path / "kopya"
    shutil.copytree(data_files.default_folder(), copy)
    text = (copy / "municipality.yaml").read_text(encoding="utf-8")
    (copy / "municipality.yaml").write_text(text.replace(f"code: {default}", "code: kopya", 1), encoding="utf-8")
    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", str(copy))
    assert container.settings().municipality_folder == copy
    assert data_files.path("taxonomy") == copy / "taxonomy.yaml"
    assert identity().code == "kopya" and municipality().code == "kopya"
    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", "yok-boyle-bir-belediye")
    with pytest.raises(ConfigurationError) as err:
        container.settings().municipality_folder
    assert "yok-boyle-bir-belediye" in err.value.message and "not found" in err.value.message
    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", "../etc")
    with pytest.raises(ConfigurationError):
        container.settings().municipality_folder


def test_rate_limits_are_settings(monkeypatch):
    from chalicelib.handlers.rate_limit import limit_of

    assert parse_settings({"ULAKBEL_RATE_LIMIT_WEBHOOK": " 5/10 "}).rate_limit("webhook") == "5/10"
    assert limit_of("webhook", "prod", "off") is None and limit_of("crc", "prod", "") == (30, 3600)
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_CRC", "7/70")
    assert limit_of("crc", "prod") == (7, 70)
