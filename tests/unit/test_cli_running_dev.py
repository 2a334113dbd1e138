"""Every `ulakbel` command that talks to the system finds the running `ulakbel dev` of this checkout from
.ulakbel/dev.json, and says clearly (exit 2, no traceback) when none runs or real AWS credentials are needed."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ulakbel_cli import running
from ulakbel_cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWS_TALKERS = [["open311-key", "--name", "Talas Mobil"], ["dlq", "list"],
               ["users", "add", "--email", "x@talas.bel.tr", "--role", "agent"]]
DEV_TALKERS = [["token", "--role", "agent"], ["outbox", "--json"],
               ["import", "cimer", "tests/fixtures/cimer/basvurular.csv"]]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """No dev running, no AWS credentials anywhere (no profile, no instance metadata)."""
    monkeypatch.setenv("ULAKBEL_HOME", str(tmp_path / "home"))
    for key in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_PROFILE", "ULAKBEL_API_URL", "ULAKBEL_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path / "home"


@pytest.mark.parametrize("argv", DEV_TALKERS, ids=lambda a: a[0])
def test_commands_needing_the_dev_say_it_is_not_running(home, argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "`ulakbel dev` is not running in this checkout" in err and "make run" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", AWS_TALKERS, ids=lambda a: a[0])
def test_commands_needing_aws_say_credentials_are_needed(home, argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no AWS credentials found" in err and "ulakbel dev" in err and "Traceback" not in err


def test_open311_key_beside_a_local_dev_without_credentials_is_exit_2_not_a_traceback(home):
    """The issue's report: `ulakbel open311-key` run beside `make run` ended in a botocore traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k in (
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED")}
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "open311-key", "--name", "Talas Mobil"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr and "no AWS credentials" in out.stderr


def test_a_record_with_a_dead_pid_is_removed_and_ignored(home, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    running.record(running.RunningDev(pid=dead.pid, stage="local", endpoint="http://127.0.0.1:1",
                                      moto_endpoint="http://127.0.0.1:2"))
    assert (home / "dev.json").exists()
    assert running.find() is None and not (home / "dev.json").exists()
    assert main(["token", "--role", "agent"]) == 2


def _record(home, moto_server, stage: str, **kw) -> None:
    running.record(running.RunningDev(pid=os.getpid(), stage=stage, endpoint="http://127.0.0.1:8000",
                                      moto_endpoint=moto_server, **kw))


def test_aws_commands_use_the_running_dev_of_this_checkout(aws, moto_server, home, monkeypatch, capsys):
    from chalicelib import container
    from chalicelib.usecases.open311 import hash_key

    assert "AWS_ENDPOINT_URL" not in os.environ  # nothing in the environment says where AWS is: only the record
    _record(home, moto_server, "local", table=aws["table"])
    monkeypatch.setenv("OPEN311_KEY_PEPPER", "x")
    monkeypatch.delenv("OPEN311_KEY_PEPPER")  # the CLI takes the dev's pepper from .ulakbel/; unset after the test
    assert main(["open311-key", "--name", "Talas Mobil"]) == 0
    key = capsys.readouterr().out.strip()
    assert os.environ["AWS_ENDPOINT_URL"] == moto_server  # pointed at the dev's moto by the record
    pepper = container.settings().open311_key_pepper
    assert container.repository().api_key(hash_key(key, pepper))["name"] == "Talas Mobil"
    assert main(["dlq", "list"]) == 0
    assert "ulakbel-local-tasks-park-dlq.fifo" in capsys.readouterr().out


def test_token_on_a_local_dev_is_an_hs256_dev_token(home, moto_server):
    from ulakbel_cli.home import dev_secrets

    _record(home, moto_server, "local")
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "token", "--role", "department",
                          "--department", "park", "--lead"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "ULAKBEL_HOME": str(home)}, timeout=60)
    assert out.returncode == 0, out.stderr
    import jwt

    tok = out.stdout.strip()
    assert jwt.get_unverified_header(tok)["alg"] == "HS256"
    # signed with the local dev key; the subprocess keeps the real clock, so expiry is not judged here
    claims = jwt.decode(tok, dev_secrets()["ULAKBEL_DEV_SIGNING_KEY"], algorithms=["HS256"],
                        options={"verify_exp": False, "verify_iat": False})
    assert (claims["role"], claims["department"], claims["lead"]) == ("department", "park", True)
    assert claims["exp"] - claims["iat"] == 12 * 3600
    assert main(["users", "add", "--email", "x@talas.bel.tr", "--role", "agent"]) == 2  # no pool on local


@pytest.mark.allow_pii_in_logs  # a staff e-mail address is printed on purpose
def test_token_and_users_add_on_a_prod_dev_use_its_user_pool(home, moto_server, capsys):
    import urllib.request

    import jwt

    from chalicelib.auth import TokenVerifier, user_pool_jwks_url
    from tests.support.user_pool import create_pool
    from ulakbel_cli.user_pool import admin_sign_in

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10)
    pool = create_pool(moto_server)
    _record(home, moto_server, "prod", user_pool_id=pool.pool_id, client_id=pool.client_id)
    assert main(["token", "--role", "department", "--department", "park", "--lead", "--sub", "ahmet"]) == 0
    tok = capsys.readouterr().out.strip()
    assert jwt.get_unverified_header(tok)["alg"] == "RS256"
    v = TokenVerifier(dev_signing_key=None, stage="prod", cognito_issuer=pool.issuer,
                      cognito_audience=pool.client_id, jwks_fetch=pool.fetch_jwks,
                      jwks_url=user_pool_jwks_url(pool.issuer, moto_server))
    p = v.verify("Bearer " + tok)
    assert (p.role, p.department, p.lead) == ("department", "park", True)
    assert jwt.decode(tok, options={"verify_signature": False})["email"] == "ahmet@ulakbel.local"
    # the same user again with another role: groups replaced, not added
    assert main(["token", "--role", "viewer", "--sub", "ahmet"]) == 0
    assert v.verify("Bearer " + capsys.readouterr().out.strip()).role == "viewer"

    assert main(["users", "add", "--email", "ayse@talas.bel.tr", "--role", "agent"]) == 0
    out = capsys.readouterr().out
    assert "role-agent" in out and pool.pool_id in out
    password = out.split("(shown only now): ", 1)[1].split()[0]
    tokens = admin_sign_in(pool.idp, pool.staff, "ayse@talas.bel.tr", password)
    assert v.verify("Bearer " + tokens["AccessToken"]).role == "agent"
    assert main(["users", "add", "--email", "x@talas.bel.tr", "--role", "department"]) == 2  # needs a department
    assert main(["users", "add", "--email", "x@talas.bel.tr", "--role", "department", "--department", "yok"]) == 2
    assert "unknown department" in capsys.readouterr().err


RAW_EMAIL = ("From: bildirim@talas.bel.tr\r\nTo: vatandas@example.com\r\nSubject: =?utf-8?q?Talebiniz_al=C4=B1nd=C4=B1?="
             "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
             "Takip kodunuz: AB12-CD34\r\n")


@pytest.mark.allow_pii_in_logs  # the outbox shows recipients on purpose
def test_outbox_json_prints_one_object_per_sent_message(home, moto_server, capsys):
    _record(home, moto_server, "local")
    (home / "outbox.json").write_text(json.dumps({
        "sms": [{"message_id": "m-2", "region": "eu-central-1", "phone": "+905051234567", "text": "Ekip yolda.",
                 "sent_at": "2026-12-06T10:00:05+00:00"}],
        "email": [{"message_id": "m-1", "region": "eu-central-1", "to": ["vatandas@example.com"], "raw": RAW_EMAIL,
                   "sent_at": "2026-12-06T10:00:01+00:00"}]}), encoding="utf-8")
    assert main(["outbox", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["channel"], r["to"], r["text"], r["sent_at"]) for r in rows] == [
        ("email", "vatandas@example.com", "Takip kodunuz: AB12-CD34", "2026-12-06T10:00:01+00:00"),
        ("sms", "+905051234567", "Ekip yolda.", "2026-12-06T10:00:05+00:00")]
    assert rows[0]["subject"] == "Talebiniz alındı"


@pytest.mark.allow_pii_in_logs  # a staff e-mail address is printed on purpose
def test_users_add_without_a_dev_uses_the_deployed_pool_with_real_credentials(home, monkeypatch, capsys):
    """No `ulakbel dev` running, AWS credentials present: the deployed stage's pool (moto's mock stands in for
    AWS here); Cognito e-mails the temporary password, none is printed."""
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "example-access-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret")
    with mock_aws():
        import boto3

        idp = boto3.client("cognito-idp", region_name="eu-central-1")
        pool_id = idp.create_user_pool(PoolName="ulakbel-prod-staff")["UserPool"]["Id"]
        for group in ("role-department", "dept-park", "lead"):
            idp.create_group(UserPoolId=pool_id, GroupName=group)
        assert main(["users", "add", "--email", "park-sefi@talas.bel.tr", "--role", "department", "--department",
                     "park", "--lead", "--user-pool-id", pool_id, "--region", "eu-central-1"]) == 0
        out = capsys.readouterr().out
        assert "temporary password" in out and "shown only now" not in out
        user = idp.admin_get_user(UserPoolId=pool_id, Username="park-sefi@talas.bel.tr")
        assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        groups = {g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool_id,
                                                                          Username="park-sefi@talas.bel.tr")["Groups"]}
        assert groups == {"role-department", "dept-park", "lead"}
        # without --user-pool-id the pool comes from the stack's output; no stack → a clear exit 2
        assert main(["users", "add", "--email", "x@talas.bel.tr", "--role", "agent", "--region", "eu-central-1"]) == 2
        assert "ulakbel-prod was not found" in capsys.readouterr().err
