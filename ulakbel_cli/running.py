"""Which `ulakbel dev` runs in this checkout: `ulakbel dev` records its endpoint, embedded AWS (moto)
endpoint, stage and pid in .ulakbel/dev.json when it starts; every command that talks to the system finds
it here. A record whose pid is dead is removed. Without a running dev, commands that need AWS use the real
AWS credentials of the environment, or say clearly (exit code 2) that neither is there."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

REGION = "eu-central-1"
MOTO_CREDENTIAL = "testing"  # nosec B105 - moto (the embedded AWS) accepts any credentials


class CliError(Exception):
    """A clear message for the user; `ulakbel` prints it and exits with code 2 (no traceback)."""


@dataclass(frozen=True)
class RunningDev:
    pid: int
    stage: str
    endpoint: str
    moto_endpoint: str
    region: str = REGION
    table: str | None = None
    user_pool_id: str | None = None
    client_id: str | None = None
    hosted_ui: str | None = None


def _file():
    from .home import home

    return home() / "dev.json"


def record(dev: RunningDev) -> None:
    file = _file()
    tmp = file.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(dev), indent=2))
    tmp.chmod(0o600)
    tmp.replace(file)


def clear(pid: int | None = None) -> None:
    """Remove the record (only our own, when `pid` is given)."""
    file = _file()
    try:
        if pid is None or json.loads(file.read_text()).get("pid") == pid:
            file.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find() -> RunningDev | None:
    file = _file()
    try:
        data = json.loads(file.read_text())
        dev = RunningDev(**{k: data.get(k) for k in RunningDev.__dataclass_fields__ if k in data})
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(dev.pid, int) or not _alive(dev.pid):
        clear()
        return None
    return dev


NOT_RUNNING = ("`ulakbel dev` bu çalışma kopyasında çalışmıyor; önce `make run` ya da `ulakbel dev [--stage prod]` "
               "başlatın / `ulakbel dev` is not running in this checkout: start it first with `make run` or "
               "`ulakbel dev [--stage prod]`")
NO_CREDENTIALS = ("AWS kimlik bilgileri bulunamadı / no AWS credentials found: this command talks to the embedded "
                  "AWS of a running `ulakbel dev` (start it with `make run`), or to a deployed stage with real AWS "
                  "credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and ULAKBEL_STAGE")


def require() -> RunningDev:
    dev = find()
    if dev is None:
        raise CliError(NOT_RUNNING)
    return dev


def use_embedded_aws(dev: RunningDev) -> None:
    """Point this process at the dev system's moto, with its stage and configuration."""
    from chalicelib import container

    os.environ.update({"AWS_ENDPOINT_URL": dev.moto_endpoint, "AWS_ACCESS_KEY_ID": MOTO_CREDENTIAL,
                       "AWS_SECRET_ACCESS_KEY": MOTO_CREDENTIAL, "AWS_SESSION_TOKEN": MOTO_CREDENTIAL,
                       "AWS_DEFAULT_REGION": dev.region, "AWS_REGION": dev.region, "ULAKBEL_STAGE": dev.stage})
    if dev.table:
        os.environ["ULAKBEL_TABLE"] = dev.table
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(key, None)
    container.reset()


def connect_aws() -> RunningDev | None:
    """For commands that use AWS directly: an explicit AWS_ENDPOINT_URL wins (tests, operators); else the
    running dev's moto; else real AWS credentials must be there (deployed stage), or a clear CliError."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return None
    dev = find()
    if dev is not None:
        use_embedded_aws(dev)
        return dev
    import boto3

    if boto3.session.Session().get_credentials() is None:
        raise CliError(NO_CREDENTIALS)
    return None
