"""Every Lambda the Chalice app declares must declare its permissions in infra/permissions.py.

Found independently of infra/stack.py: from the app object itself (routes, pure lambda functions, event
sources such as schedules/SQS/SNS/S3, authorizers). A merge that adds a function without an entry fails here.
"""
from __future__ import annotations

from chalicelib import resources
from infra import permissions

KNOWN_KINDS = {"table", "table-indexes", "table-stream", "task-queues", "queue", "dlq", "topic", "bucket",
               "bucket-objects", "ses-identity", "ses-configuration-set", "sms",
               "transcribe-jobs", "connect-recordings",  # issue 22: voicemail via Amazon Transcribe
               "user-pool"}  # issue 19: the console's staff picker


def _declared_functions() -> set[str]:
    import app as chalice_app

    a = chalice_app.app
    names = {"api_handler"} if a.routes else set()
    names |= {f.name for f in a.pure_lambda_functions}
    names |= {s.name for s in a.event_sources}
    names |= {h.name for h in a.builtin_auth_handlers}
    return names


def test_every_function_has_a_permission_entry():
    missing = _declared_functions() - set(permissions.FUNCTION_PERMISSIONS)
    assert not missing, f"add these Lambda functions to infra/permissions.py FUNCTION_PERMISSIONS: {sorted(missing)}"


def test_no_permission_entry_for_a_function_that_does_not_exist():
    stale = set(permissions.FUNCTION_PERMISSIONS) - _declared_functions()
    assert not stale, f"infra/permissions.py grants permissions to functions the app no longer has: {sorted(stale)}"


def test_consumers_named_in_resources_are_functions_of_the_app():
    declared = _declared_functions()
    assert set(resources.STREAM_CONSUMERS) <= declared
    assert set(resources.QUEUE_CONSUMERS) <= declared
    assert set(resources.QUEUE_CONSUMERS.values()) <= set(resources.SERVICE_QUEUES)


def test_grants_are_specific_and_use_known_resource_keys():
    for name, grants in permissions.FUNCTION_PERMISSIONS.items():
        assert grants or name == "youtube_renew_websub", name  # it only reads secrets (chalicelib/config.py)
        for actions, keys in grants:
            assert actions and keys, name
            assert all(":" in a and "*" not in a for a in actions), (name, actions)
            for key in keys:
                kind = key if key in KNOWN_KINDS else key.split(":", 1)[0]
                assert kind in KNOWN_KINDS, (name, key)
                if kind in ("queue", "dlq"):
                    assert key.split(":", 1)[1] in resources.SERVICE_QUEUES, (name, key)
                if kind == "topic":
                    assert key.split(":", 1)[1] in {*resources.TOPICS, resources.ALARM_TOPIC,
                                                    resources.INBOUND_EMAIL_TOPIC}, (name, key)
                if kind in ("bucket", "bucket-objects"):
                    assert key.split(":", 1)[1] in {*resources.BUCKETS, resources.MEDIA_BUCKET}, (name, key)


def test_stages_are_the_same_in_chalice_config_and_cdk():
    import json
    from pathlib import Path

    from infra.stack import STAGES

    root = Path(__file__).resolve().parents[2]
    chalice_stages = set(json.loads((root / ".chalice" / "config.json").read_text())["stages"])
    assert chalice_stages == {"local", *STAGES}  # local runs on moto (`make run`), the others on AWS
    cdk = json.loads((root / "cdk.json").read_text())
    assert cdk["context"]["stage"] in STAGES and "infra.app" in cdk["app"]


def test_only_the_console_reads_the_staff_pool_and_only_group_members():
    """The assign picker (chalicelib/adapters/staff_directory.py) lists a department's group on the user pool:
    the API function may call ListUsersInGroup on this stage's pool and no other Cognito action; no other
    function touches the pool."""
    cognito = {name: [(a, keys) for actions, keys in grants for a in actions if a.startswith("cognito-idp:")]
               for name, grants in permissions.FUNCTION_PERMISSIONS.items()}
    assert cognito.pop("api_handler") == [("cognito-idp:ListUsersInGroup", ("user-pool",))]
    assert not any(cognito.values()), cognito
    assert all("user-pool" not in keys for name, grants in permissions.FUNCTION_PERMISSIONS.items()
               if name != "api_handler" for _, keys in grants)
