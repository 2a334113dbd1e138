"""`ulakbel dev`: the whole system on one machine — moto as the embedded AWS, chalice local for HTTP,
and the pump for streams, queues and schedules.

`--stage local` (the default, `make run`): dev secrets from .ulakbel/, HS256 dev tokens.
`--stage prod`: the prod configuration (ulakbel_cli/stage_env.py `prod_environment`) on moto — secrets
generated into moto's Secrets Manager and read from there, staff identity from a Cognito user pool in moto
(RS256 tokens, JWKS served by moto; a local sign-in page stands in for the hosted UI), webhook rate limits
on, SMS and e-mail sent through moto's SNS/SES and platform replies recorded by the outbox: nothing leaves
the machine.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import threading
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGE = "local"
STAGES = ("local", "prod")
REGION = "eu-central-1"



def admin_email() -> str:
    """The prod-stage admin's sign-in name, on the municipality's own domain (municipality.yaml)."""
    from chalicelib.domain.identity import identity

    return f"admin@{identity().open311.jurisdiction_id}"


class DevSystem:
    def __init__(self, port: int = 8000, host: str = "127.0.0.1", *, stage: str = STAGE,
                 schedule_seconds: float | None = None, quiet: bool = False, stream_batch_size: int | None = None,
                 stream_parallelism: int | None = None, preload_history: int = 0, demo_history: int = 0) -> None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}")
        self.stream = {"stream_batch_size": stream_batch_size, "stream_parallelism": stream_parallelism}
        self.preload_history = preload_history
        self.demo_history = demo_history  # issue 19: `--seed-demo`'s year of history, before the pump starts
        self.port = port
        self.host = host
        self.stage = stage
        self.schedule_seconds = schedule_seconds
        self.quiet = quiet
        self.moto = None
        self.server = None
        self.pump = None
        self.app = None
        self.hosted_ui = None
        self.pool = None
        self.secrets: dict[str, str] = {}
        self.unfilled: list[str] = []
        self.admin_password: str | None = None
        self._server_thread: threading.Thread | None = None

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def start(self) -> None:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

        # The embedded AWS runs in a process of its own, with the local-only speed-ups (see moto_process).
        from . import moto_speedups
        from .moto_process import MotoProcess

        self.moto = MotoProcess()
        self.moto_url = self.moto.start()
        moto_speedups.use_remote(self.moto.fallbacks)
        env = {
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "ULAKBEL_STAGE": self.stage,
            "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or self.base_url,
        }
        for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(key, None)
        if self.stage == "local":
            from .home import dev_secrets

            self.secrets = dev_secrets()
            env.update({"ULAKBEL_DEV_MODE": "1", **self.secrets})
            os.environ.update(env)
        else:
            os.environ.update(env)
            os.environ.update(self._provision_prod(env["PUBLIC_BASE_URL"]))

        from chalice.cli.factory import CLIFactory

        factory = CLIFactory(str(PROJECT_DIR), environ=os.environ)
        config = factory.create_config_obj(chalice_stage_name=self.stage)
        os.environ.update(config.environment_variables)
        self.app = factory.load_chalice_app(config.environment_variables)

        from chalicelib import container
        from chalicelib.adapters.bootstrap import bootstrap

        container.reset()
        self.resources = bootstrap(self.stage)
        self.server = factory.create_local_server(self.app, config, self.host, self.port)
        self._server_thread = threading.Thread(target=self.server.server.serve_forever, name="chalice-local",
                                               daemon=True)
        self._server_thread.start()
        from .pump import Pump

        self.pump = Pump(self.app, self.stage, schedule_seconds=self.schedule_seconds, log=self.say, **self.stream)
        if self.preload_history:  # issue 21: a year of history in the table before the pump starts
            from chalicelib import resources

            written = self.moto.preload(resources.table_name(self.stage), self.preload_history, REGION)
            self.pump.skip_existing()
            self.say(f"Preloaded {self.preload_history} past requests ({written} items) / geçmiş talepler yüklendi")
        if self.demo_history:
            from .demo_history import seed_history

            stats = seed_history(self.demo_history,  # counted by the analytics consumer before it returns
                                 bulk_load=lambda table, items: self.moto.load(table, items, REGION))
            self.say(f"Demo history: {stats['requests']} requests over 12 months in {stats['seconds']} s "
                     f"(replay {stats['replay_seconds']} s, written in {stats['write_seconds']} s: {stats['items']} items, "
                     f"{stats['cells']} analytics cells) / 12 aylık örnek geçmiş — "
                     + ", ".join(f"{k} {v}" for k, v in stats.items() if k not in (
                         "requests", "items", "seconds", "replay_seconds", "cells", "write_seconds")))
        self.pump.start()
        # issue 8: the outbox mirror (.ulakbel/outbox.json) runs in the embedded AWS's process, beside moto.
        from . import running

        running.record(running.RunningDev(
            pid=os.getpid(), stage=self.stage, endpoint=self.base_url, moto_endpoint=self.moto_url, region=REGION,
            table=self.resources["table"], user_pool_id=self.pool.pool_id if self.pool else None,
            client_id=self.pool.client_id if self.pool else None,
            hosted_ui=self.hosted_ui.url if self.hosted_ui else None))

    def _provision_prod(self, public_base_url: str) -> dict[str, str]:
        """What infra/ provisions for the stage, created in moto: secrets (generated values), the staff user
        pool with its groups and console client, the SES identity and configuration set. Returns the
        environment of the functions (stage_env.prod_environment)."""
        import boto3

        from chalicelib import resources

        from .hosted_ui import LocalHostedUi
        from .stage_env import (email_sender, LOCAL_ONLY, PLATFORM_ACCOUNT_SECRETS, prod_environment,
                                secret_names, ses_configuration_set)
        from .user_pool import add_staff_user, create_staff_pool, generated_password

        for key in LOCAL_ONLY:
            os.environ.pop(key, None)
        session = boto3.session.Session(region_name=REGION)
        sm = session.client("secretsmanager", endpoint_url=self.moto_url)
        for key in secret_names(self.stage):
            name = resources.secret_name(self.stage, key)
            if key in PLATFORM_ACCOUNT_SECRETS:  # no platform account locally: left unfilled (see stage_env)
                sm.create_secret(Name=name, Description=f"ulakbel {self.stage}: {key} (not filled in locally)")
                self.unfilled.append(key)
                continue
            value = secrets.token_urlsafe(32)
            if key == "VAPID_PRIVATE_KEY":  # what `ulakbel vapid-keys` gives the operator: a real P-256 key
                from chalicelib.channels.webpush.outbound import generate_vapid_private_key

                value = generate_vapid_private_key()
            sm.create_secret(Name=name, SecretString=value,
                             Description=f"ulakbel {self.stage}: {key} (generated by ulakbel dev)")
            self.secrets[key] = value

        idp = session.client("cognito-idp", endpoint_url=self.moto_url)
        callback = f"{public_base_url}/console/callback"
        self.pool = create_staff_pool(idp, self.stage, callback_url=callback,
                                      logout_url=f"{public_base_url}/console/login")
        self.hosted_ui = LocalHostedUi(idp, self.pool.pool_id, self.pool.client_id, callback,
                                       logout_url=f"{public_base_url}/console/login").start()
        self.admin_password = generated_password()
        add_staff_user(idp, self.pool.pool_id, admin_email(), role="admin", password=self.admin_password)

        ses = session.client("ses", endpoint_url=self.moto_url)
        ses.verify_domain_identity(Domain=email_sender().split("@", 1)[1])
        ses.create_configuration_set(ConfigurationSet={"Name": ses_configuration_set(self.stage)})
        env = prod_environment(self.stage, region=REGION, user_pool_id=self.pool.pool_id,
                               client_id=self.pool.client_id, hosted_ui=self.hosted_ui.url,
                               public_base_url=public_base_url)
        # Platform replies (Meta, X, YouTube, Twilio) are recorded by the outbox instead of calling the
        # platforms; SMS and e-mail still go through (moto's) SNS and SES. Nothing leaves the machine.
        env["ULAKBEL_OUTBOX"] = "1"
        return env

    def settle(self, quiet_for: float = 1.5, timeout: float = 60.0) -> bool:
        """Wait until the running pump has delivered what was written so far: nothing delivered for
        `quiet_for` seconds (longer than its idle round). False when it was still busy at `timeout`."""
        import time

        deadline = time.monotonic() + timeout
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            if self.pump.delivered != seen:
                seen, quiet_since = self.pump.delivered, time.monotonic()
            elif seen > 0 and time.monotonic() - quiet_since >= quiet_for:
                return True
            time.sleep(0.2)
        return False

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        from . import running

        running.clear(os.getpid())
        if self.pump:
            self.pump.stop()
        if self.server:
            self.server.server.shutdown()
            self.server.server.server_close()
        if self.hosted_ui:
            self.hosted_ui.stop()
        if self.moto:
            from . import moto_speedups

            moto_speedups.use_remote(None)
            self.moto.stop()

    def banner(self) -> str:
        return self._banner_local() if self.stage == "local" else self._banner_prod()

    def _common_lines(self) -> list[str]:
        return [
            f"Public transparency page / şeffaflık sayfası: {self.base_url}/seffaf",
            f"Citizens' app / vatandaş uygulaması (Open311): {self.base_url}/app  "
            f"(API {self.base_url}/open311/v2/discovery.json, OpenAPI {self.base_url}/openapi.json)",
            "",
            "Press Ctrl-C to stop / durdurmak için Ctrl-C",
        ]

    def _banner_prod(self) -> str:
        from chalicelib import resources

        lines = [
            "",
            "ulakbel is running with the PROD configuration on the embedded AWS / ulakbel prod yapılandırmasıyla "
            "çalışıyor",
            f"  API            {self.base_url}        (try {self.base_url}/health)",
            f"  Embedded AWS   {self.moto_url}   (moto dashboard: {self.moto_url}/moto-api/)",
            f"  User pool      {self.pool.pool_id}  client {self.pool.client_id}",
            f"                 JWKS {self.moto_url}/{self.pool.pool_id}/.well-known/jwks.json",
            f"  Sign-in page   {self.hosted_ui.url}/oauth2/authorize  (stands in for the Cognito hosted UI)",
            "  Outbound       SMS → moto SNS, e-mail → moto SES, platforms → outbox (`ulakbel outbox`)",
            "  Rate limits    webhooks and Open311 POST limited per source (prod defaults)",
            "",
            f"Secrets generated into Secrets Manager (ulakbel/{self.stage}/<NAME>), shown only now / "
            "yalnızca şimdi gösterilir:",
            *[f"  {resources.secret_name(self.stage, k)}={v}" for k, v in self.secrets.items()],
            "Left unfilled (platform accounts; nothing is called, pollers stay idle) / boş bırakıldı: "
            + ", ".join(self.unfilled),
            "",
            f"Staff console / personel ekranı: {self.base_url}/console/login",
            f"  admin: {admin_email()} / {self.admin_password}   (shown only now)",
            "  more staff: ulakbel users add --email E --role admin|agent|department|viewer [--department D] [--lead]",
            "  API token:  ulakbel token --role agent   (a real user-pool RS256 token; HS256 dev tokens are refused)",
            "",
            *self._common_lines(),
        ]
        return "\n".join(lines)

    def _banner_local(self) -> str:
        from chalicelib.auth import issue_dev_token

        from chalicelib.domain.departments import municipality

        key = self.secrets["ULAKBEL_DEV_SIGNING_KEY"]
        lead_dept = municipality().codes[0]
        tokens = {
            "admin": issue_dev_token(key, role="admin", sub="admin"),
            "agent": issue_dev_token(key, role="agent", sub="beyaz-masa-1"),
            "viewer": issue_dev_token(key, role="viewer", sub="ozel-kalem"),
            f"department {lead_dept} (lead)": issue_dev_token(key, role="department", department=lead_dept,
                                                              sub=f"{lead_dept}-lead", lead=True),
        }
        lines = [
            "",
            "ulakbel is running (local stage, embedded AWS) / ulakbel çalışıyor",
            f"  API            {self.base_url}        (try {self.base_url}/health)",
            f"  Embedded AWS   {self.moto_url}   (moto dashboard: {self.moto_url}/moto-api/)",
            "  Pump           DynamoDB stream, SQS consumers and schedules → the same Lambda handlers",
            "",
            "Dev secrets (set the environment variable to choose your own):",
            *[f"  {k}={v}" for k, v in self.secrets.items()],
            "",
            "Dev bearer tokens (12 h; more with `ulakbel token --role ROLE [--department CODE]`):",
            *[f"  {who}: {tok}" for who, tok in tokens.items()],
            "",
            f"Staff console / personel ekranı (signed in as admin): {self.base_url}/console/login?token={tokens['admin']}",
            *self._common_lines(),
        ]
        (Path(os.environ.get("ULAKBEL_HOME") or ".ulakbel") / "dev-tokens.json").write_text(json.dumps(tokens))
        return "\n".join(lines)


def _municipality_problems() -> str | None:
    """Validated at start (issue 22): the selected municipality's folder, every problem listed, or None."""
    from chalicelib import container
    from chalicelib.domain import data_files
    from chalicelib.usecases.municipality_check import check_folder, render

    try:
        folder = data_files.resolve_folder(container.settings().municipality)
    except ValueError as exc:
        return f"ulakbel dev: {exc}"
    report = check_folder(folder)
    return None if report.ok else f"ulakbel dev: belediye yapılandırması geçersiz / invalid municipality\n{render(report)}"


def run(port: int, seed_demo: bool, schedule_seconds: float | None = None, stage: str = STAGE,
        **pipeline) -> int:
    """`pipeline`: stream_batch_size, stream_parallelism, preload_history (see DevSystem)."""
    from .running import find

    other = find()
    if other is not None and other.pid != os.getpid():
        print(f"ulakbel dev: already running in this checkout (pid {other.pid}, stage {other.stage}, "
              f"{other.endpoint}) / zaten çalışıyor", flush=True)
        return 2
    problems = _municipality_problems()
    if problems:
        print(problems, flush=True)
        return 2
    if seed_demo:
        from .demo_history import DEFAULT_N

        pipeline.setdefault("demo_history", DEFAULT_N)
    system = DevSystem(port=port, stage=stage, schedule_seconds=schedule_seconds, **pipeline)
    try:
        system.start()
    except OSError as exc:
        print(f"ulakbel dev: could not start ({exc}). Is port {port} free? Try --port.", flush=True)
        system.stop()
        return 2
    if seed_demo:
        from .seed import seed_demo as seed

        count = seed(history=0)  # today's hand-written examples, through the stream like any new request
        system.settle()  # ... and routed and counted before the banner says the system is ready
        system.say(f"Seeded {count} demo requests of today / {count} güncel örnek talep yüklendi")
    system.say(system.banner())
    stopped = threading.Event()

    def _stop(*_):
        stopped.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    stopped.wait()
    system.say("Stopping… / durduruluyor…")
    system.stop()
    return 0
