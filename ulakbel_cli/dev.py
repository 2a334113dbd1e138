"""`ulakbel dev`: the whole system on one machine — moto as the embedded AWS, chalice local for HTTP,
and the pump for streams, queues and schedules."""
from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGE = "local"
REGION = "eu-central-1"


class DevSystem:
    def __init__(self, port: int = 8000, host: str = "127.0.0.1", *, schedule_seconds: float | None = None,
                 quiet: bool = False) -> None:
        self.port = port
        self.host = host
        self.schedule_seconds = schedule_seconds
        self.quiet = quiet
        self.moto = None
        self.server = None
        self.pump = None
        self.app = None
        self.secrets: dict[str, str] = {}
        self._server_thread: threading.Thread | None = None

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def start(self) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

        from .home import dev_secrets

        self.secrets = dev_secrets()
        from .moto_speedups import install as _fast_moto_transactions  # local only; see module docstring

        _fast_moto_transactions()
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.moto.start()
        moto_host, moto_port = self.moto.get_host_and_port()
        self.moto_url = f"http://{moto_host}:{moto_port}"
        base = f"http://{self.host}:{self.port}"
        env = {
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "ULAKBEL_STAGE": STAGE,
            "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or base,
            "ULAKBEL_DEV_MODE": "1",
            **self.secrets,
        }
        for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(key, None)
        os.environ.update(env)

        from chalice.cli.factory import CLIFactory

        factory = CLIFactory(str(PROJECT_DIR), environ=os.environ)
        config = factory.create_config_obj(chalice_stage_name=STAGE)
        os.environ.update(config.environment_variables)
        self.app = factory.load_chalice_app(config.environment_variables)

        from chalicelib import container
        from chalicelib.adapters.bootstrap import bootstrap

        container.reset()
        self.resources = bootstrap(STAGE)
        self.server = factory.create_local_server(self.app, config, self.host, self.port)
        self._server_thread = threading.Thread(target=self.server.server.serve_forever, name="chalice-local",
                                               daemon=True)
        self._server_thread.start()
        from .pump import Pump

        self.pump = Pump(self.app, STAGE, schedule_seconds=self.schedule_seconds, log=self.say)
        self.pump.start()
        from .outbox import start_mirror  # issue 8: SMS/e-mail moto received → .ulakbel/outbox.json

        self._outbox_stop = start_mirror()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.pump:
            self.pump.stop()
        if self.server:
            self.server.server.shutdown()
            self.server.server.server_close()
        if self.moto:
            self.moto.stop()

    def banner(self) -> str:
        from chalicelib.auth import issue_dev_token

        key = self.secrets["ULAKBEL_DEV_SIGNING_KEY"]
        tokens = {
            "admin": issue_dev_token(key, role="admin", sub="admin"),
            "agent": issue_dev_token(key, role="agent", sub="beyaz-masa-1"),
            "viewer": issue_dev_token(key, role="viewer", sub="ozel-kalem"),
            "department park (lead)": issue_dev_token(key, role="department", department="park", sub="park-lead",
                                                      lead=True),
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
            f"Public transparency page / şeffaflık sayfası: {self.base_url}/seffaf",
            f"Citizens' app / vatandaş uygulaması (Open311): {self.base_url}/app  "
            f"(API {self.base_url}/open311/v2/discovery.json, OpenAPI {self.base_url}/openapi.json)",
            "",
            "Press Ctrl-C to stop / durdurmak için Ctrl-C",
        ]
        (Path(os.environ.get("ULAKBEL_HOME") or ".ulakbel") / "dev-tokens.json").write_text(json.dumps(tokens))
        return "\n".join(lines)


def run(port: int, seed_demo: bool, schedule_seconds: float | None = None) -> int:
    system = DevSystem(port=port, schedule_seconds=schedule_seconds)
    try:
        system.start()
    except OSError as exc:
        print(f"ulakbel dev: could not start ({exc}). Is port {port} free? Try --port.", flush=True)
        system.stop()
        return 2
    if seed_demo:
        from .seed import seed_demo as seed

        count = seed()
        system.say(f"Seeded {count} demo requests / {count} örnek talep yüklendi")
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
