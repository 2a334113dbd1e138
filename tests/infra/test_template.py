"""CDK assertion tests on the synthesised stages: data, queues, event sources, IAM scoping, API, identity."""
from __future__ import annotations

import json

from aws_cdk.assertions import Match

from chalicelib import config, resources
from chalicelib.auth import _principal_from_claims
from chalicelib.domain.departments import municipality
from chalicelib.adapters.stream_filters import stream_filters
from infra import permissions
from infra.stack import STREAM_FAILURE_KEY, STREAM_MAX_RETRIES, chalice_functions


def _by_name(synth, type_: str, prop: str) -> dict[str, dict]:
    return {r["Properties"][prop]: r for r in synth.of_type(type_).values() if isinstance(r["Properties"].get(prop), str)}


def _ref_or_att(value) -> str:
    if isinstance(value, dict):
        return value.get("Ref") or value.get("Fn::GetAtt", [None])[0]
    return value


# ------------------------------------------------------------------ data
def test_table_is_on_demand_with_stream_ttl_pitr_and_every_index(synth):
    t = synth.assertions()
    t.has_resource_properties("AWS::DynamoDB::Table", {
        "TableName": resources.table_name(synth.stage),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "GlobalSecondaryIndexes": [
            {"IndexName": name, "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"},
                                              {"AttributeName": sk, "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}} for name, pk, sk in resources.INDEXES],
    })


def test_prod_table_is_protected_and_retained_dev_is_not(dev, prod):
    (p,) = prod.of_type("AWS::DynamoDB::Table").values()
    (d,) = dev.of_type("AWS::DynamoDB::Table").values()
    assert p["Properties"]["DeletionProtectionEnabled"] is True and p["DeletionPolicy"] == "Retain"
    assert d["Properties"].get("DeletionProtectionEnabled") is False and d["DeletionPolicy"] == "Delete"


# ------------------------------------------------------------------ queues
def test_one_fifo_task_queue_per_department_each_with_dlq_redrive_and_depth_alarm(synth):
    queues = _by_name(synth, "AWS::SQS::Queue", "QueueName")
    alarms = _by_name(synth, "AWS::CloudWatch::Alarm", "AlarmName")
    alarm_topic = next(k for k, v in synth.of_type("AWS::SNS::Topic").items()
                       if v["Properties"]["TopicName"] == resources.topic_name(synth.stage, resources.ALARM_TOPIC))
    ids = {v["Properties"]["QueueName"]: k for k, v in synth.of_type("AWS::SQS::Queue").items()}
    keys = municipality().queue_keys
    assert len(keys) >= 10 and "triage" in keys
    for key in keys:
        names = resources.task_queue(synth.stage, key)
        queue, dlq = queues[names.name]["Properties"], queues[names.dlq]["Properties"]
        assert queue["FifoQueue"] is True and dlq["FifoQueue"] is True
        assert queue["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [ids[names.dlq], "Arn"]},
                                          "maxReceiveCount": resources.MAX_RECEIVE_COUNT}
        alarm = alarms[f"{names.dlq}-depth"]["Properties"]
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [ids[names.dlq], "QueueName"]}}]
        assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert alarm["AlarmActions"] == [{"Ref": alarm_topic}]


def test_service_queues_have_dlqs_and_alarms(synth):
    queues = _by_name(synth, "AWS::SQS::Queue", "QueueName")
    alarms = _by_name(synth, "AWS::CloudWatch::Alarm", "AlarmName")
    for key, visibility in {**resources.SERVICE_QUEUES, STREAM_FAILURE_KEY: 300}.items():
        names = resources.service_queue(synth.stage, key)
        queue = queues[names.name]["Properties"]
        assert "FifoQueue" not in queue
        assert queue["VisibilityTimeout"] == resources.SERVICE_QUEUES.get(key, visibility)
        assert queue["RedrivePolicy"]["maxReceiveCount"] == resources.MAX_RECEIVE_COUNT
        assert names.dlq in queues and f"{names.dlq}-depth" in alarms


def test_every_queue_denies_plain_http(synth):
    policies = synth.of_type("AWS::SQS::QueuePolicy").values()
    covered = {_ref_or_att(q) for p in policies for q in p["Properties"]["Queues"]
               if any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                      for s in p["Properties"]["PolicyDocument"]["Statement"])}
    assert covered == set(synth.of_type("AWS::SQS::Queue"))


# ------------------------------------------------------------------ event sources
def test_stream_consumers_report_item_failures_bisect_retry_and_dead_letter(synth):
    functions = chalice_functions()
    failures = resources.service_queue(synth.stage, STREAM_FAILURE_KEY).name
    failure_id = next(k for k, v in synth.of_type("AWS::SQS::Queue").items()
                      if v["Properties"]["QueueName"] == failures)
    table_id = next(iter(synth.of_type("AWS::DynamoDB::Table")))
    mappings = synth.of_type("AWS::Lambda::EventSourceMapping")
    assert resources.STREAM_CONSUMERS
    for name in resources.STREAM_CONSUMERS:
        (m,) = [m["Properties"] for m in mappings.values()
                if m["Properties"]["FunctionName"] == {"Ref": functions[name]}]
        assert m["EventSourceArn"] == {"Fn::GetAtt": [table_id, "StreamArn"]}
        assert m["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert m["BisectBatchOnFunctionError"] is True
        assert m["MaximumRetryAttempts"] == STREAM_MAX_RETRIES
        assert m["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": [failure_id, "Arn"]}}}
        # Lambda event filtering: the same patterns the dev pump applies (chalicelib/adapters/stream_filters.py)
        assert [json.loads(f["Pattern"]) for f in m["FilterCriteria"]["Filters"]] == stream_filters()[name]
        assert len(m["FilterCriteria"]["Filters"]) <= 5  # Lambda's limit of filters per event source mapping


def test_queue_consumers_report_item_failures(synth):
    functions = chalice_functions()
    mappings = [m["Properties"] for m in synth.of_type("AWS::Lambda::EventSourceMapping").values()]
    assert len(mappings) == len(resources.STREAM_CONSUMERS) + len(resources.QUEUE_CONSUMERS)
    for name, key in resources.QUEUE_CONSUMERS.items():
        (m,) = [m for m in mappings if m["FunctionName"] == {"Ref": functions[name]}]
        assert m["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


# ------------------------------------------------------------------ IAM
def _function_policies(synth) -> dict[str, list[dict]]:
    """Chalice function name → statements of the policies attached to its role."""
    roles = {synth.logical_id(role): name for name, role in synth.stack.roles.items()}
    out: dict[str, list[dict]] = {}
    for policy in synth.of_type("AWS::IAM::Policy").values():
        for role in policy["Properties"]["Roles"]:
            if _ref_or_att(role) in roles:
                out.setdefault(roles[_ref_or_att(role)], []).extend(
                    policy["Properties"]["PolicyDocument"]["Statement"])
    return out


def test_each_function_runs_as_its_own_role(synth):
    functions = chalice_functions()
    sam = synth.of_type("AWS::Serverless::Function")
    assert set(sam) == set(functions.values())  # nothing Chalice declared escaped discovery
    roles = [sam[logical]["Properties"]["Role"] for logical in functions.values()]
    assert all(isinstance(r, dict) and "Fn::GetAtt" in r for r in roles), roles  # never the placeholder
    assert len({json.dumps(r) for r in roles}) == len(roles)  # one role per function


def test_no_wildcard_actions_and_wildcard_resources_only_for_xray(synth):
    statements = [s for p in synth.of_type("AWS::IAM::Policy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]]
    for s in statements:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        assert not any("*" in a for a in actions), s
        res = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        if "*" in res:  # X-Ray has no resource ARNs; SMS to a phone number neither (topics denied below)
            assert set(actions) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"} or actions == [
                "sns:Publish"], s


def test_sms_senders_cannot_publish_to_topics(synth):
    for name, statements in _function_policies(synth).items():
        allows_sms = any(s["Effect"] == "Allow" and s["Action"] == "sns:Publish" and s["Resource"] == "*"
                         for s in statements)
        denies_topics = any(s["Effect"] == "Deny" and s["Action"] == "sns:Publish" for s in statements)
        assert allows_sms == denies_topics, name


def test_function_policies_grant_exactly_what_permissions_py_declares(synth):
    policies = _function_policies(synth)
    for name in chalice_functions():
        granted = {a for s in policies[name] if s["Effect"] == "Allow"
                   for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
        declared = {a for actions, _ in permissions.FUNCTION_PERMISSIONS[name] for a in actions}
        implicit = {"logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
        if config.function_secrets(synth.stage, name):  # the secrets chalicelib/config.py says it reads
            implicit |= {"secretsmanager:GetSecretValue"}
        if name in resources.STREAM_CONSUMERS:
            implicit |= {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                         "dynamodb:ListStreams", "sqs:SendMessage"}
        if name in resources.QUEUE_CONSUMERS:
            implicit |= {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                         "sqs:ChangeMessageVisibility"}
        assert granted == declared | implicit, name
        assert not granted & {"dynamodb:Scan", "dynamodb:DeleteTable", "sqs:DeleteQueue", "iam:PassRole",
                              "s3:DeleteBucket", "secretsmanager:PutSecretValue"}


def test_only_the_stream_consumer_reads_the_stream_and_logs_are_scoped_to_own_group(synth):
    policies = _function_policies(synth)
    log_ids = {name: synth.logical_id(group) for name, group in synth.stack.log_groups.items()}
    for name, statements in policies.items():
        reads_stream = any("dynamodb:GetRecords" in s["Action"] for s in statements)
        assert reads_stream == (name in resources.STREAM_CONSUMERS), name
        (logs,) = [s for s in statements if s.get("Sid") == "OwnLogs"]
        assert logs["Resource"] == {"Fn::GetAtt": [log_ids[name], "Arn"]}


def test_each_function_reads_exactly_the_secrets_the_config_table_gives_it(synth):
    policies = _function_policies(synth)
    secret_ids = {k: synth.logical_id(s) for k, s in synth.stack.secrets.items()}
    for name in chalice_functions():
        refs = {json.dumps(r) for s in policies[name] if s["Action"] in ("secretsmanager:GetSecretValue",
                                                                         ["secretsmanager:GetSecretValue"])
                for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])}
        assert refs == {json.dumps({"Ref": secret_ids[spec.env_var]})
                        for spec in config.function_secrets(synth.stage, name)}, name
    assert "ULAKBEL_PII_PEPPER" not in {s.env_var for s in config.function_secrets(synth.stage,
                                                                                    "youtube_renew_websub")}


def test_log_groups_have_stage_retention(dev, prod):
    for synth, days in ((dev, 30), (prod, 365)):
        groups = synth.of_type("AWS::Logs::LogGroup")
        assert len(groups) == len(chalice_functions()) + 1  # + API access logs
        assert {g["Properties"]["RetentionInDays"] for g in groups.values()} == {days}


# ------------------------------------------------------------------ secrets
def test_every_secret_of_the_table_exists_and_no_dev_token_key_is_deployed(dev, prod):
    for synth in (dev, prod):
        names = {s["Properties"]["Name"] for s in synth.of_type("AWS::SecretsManager::Secret").values()}
        assert names == {spec.name for spec in config.secret_specs(synth.stage)}
        assert {f"ulakbel/{synth.stage}/{k}" for k in ("ULAKBEL_PII_PEPPER", "ULAKBEL_LINK_SIGNING_KEY",
                                                       "OPEN311_APP_API_KEY", "OPEN311_KEY_PEPPER")} <= names
        assert "DEV_SIGNING_KEY" not in json.dumps(synth.template)  # HS256 dev tokens are local/test only
        for fn in synth.of_type("AWS::Serverless::Function").values():
            assert fn["Properties"]["Environment"]["Variables"]["ULAKBEL_STAGE"] == synth.stage


# ------------------------------------------------------------------ API
def test_api_is_throttled_traced_and_errors_carry_cors(synth):
    (api,) = synth.of_type("AWS::Serverless::Api").values()
    p = api["Properties"]
    assert p["TracingEnabled"] is True
    (settings,) = p["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] >= settings["ThrottlingRateLimit"]
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        headers = p["GatewayResponses"][kind]["ResponseParameters"]["Headers"]
        assert headers["Access-Control-Allow-Origin"].startswith("'")
        assert "Authorization" in headers["Access-Control-Allow-Headers"]
    assert "DestinationArn" in p["AccessLogSetting"]
    for fn in synth.of_type("AWS::Serverless::Function").values():
        assert fn["Properties"]["Tracing"] == "Active"


def test_dashboard_shows_api_functions_and_dead_letter_queues(synth):
    (board,) = synth.of_type("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(board["Properties"]["DashboardBody"])
    for needle in ("5XXError", "Errors", "Dead-letter queues", "ApproximateNumberOfMessagesVisible"):
        assert needle in body


# ------------------------------------------------------------------ identity, mail, media
def test_cognito_groups_map_to_the_principals_the_api_expects(synth):
    groups = {g["Properties"]["GroupName"] for g in synth.of_type("AWS::Cognito::UserPoolGroup").values()}
    assert {"role-admin", "role-agent", "role-department", "role-viewer", "lead"} <= groups
    assert {f"dept-{c}" for c in municipality().codes} <= groups
    principal = _principal_from_claims({"sub": "u1", "cognito:groups": ["role-department", "dept-park", "lead"]})
    assert (principal.role, principal.department, principal.lead) == ("department", "park", True)
    synth.assertions().has_resource_properties("AWS::Cognito::UserPool", {
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
        "Policies": {"PasswordPolicy": Match.object_like({"MinimumLength": 12})}})


def test_ses_receipt_rule_publishes_inbound_mail_to_its_topic(synth):
    topic_id = next(k for k, v in synth.of_type("AWS::SNS::Topic").items() if v["Properties"]["TopicName"]
                    == resources.topic_name(synth.stage, resources.INBOUND_EMAIL_TOPIC))
    (rule,) = synth.of_type("AWS::SES::ReceiptRule").values()
    (action,) = rule["Properties"]["Rule"]["Actions"]
    assert action["SNSAction"] == {"TopicArn": {"Ref": topic_id}, "Encoding": "UTF-8"}
    assert rule["Properties"]["Rule"]["ScanEnabled"] is True
    synth.assertions().resource_count_is("AWS::SES::EmailIdentity", 1)
    policy = next(p for p in synth.of_type("AWS::SNS::TopicPolicy").values()
                  if {"Ref": topic_id} in p["Properties"]["Topics"])
    assert any(s.get("Principal") == {"Service": "ses.amazonaws.com"}
               for s in policy["Properties"]["PolicyDocument"]["Statement"])


def test_media_bucket_is_private_encrypted_versioned_with_lifecycle(synth):
    buckets = _by_name(synth, "AWS::S3::Bucket", "BucketName")
    b = buckets[resources.bucket_name(synth.stage, resources.MEDIA_BUCKET)]["Properties"]
    assert b["PublicAccessBlockConfiguration"] == {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                   "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert b["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
        "SSEAlgorithm"] == "AES256"
    assert b["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {r["Id"] for r in b["LifecycleConfiguration"]["Rules"]}
    assert {"abort-incomplete-uploads", "expire-old-versions"} <= rules
    assert "PUT" in b["CorsConfiguration"]["CorsRules"][0]["AllowedMethods"]


def test_every_declared_topic_and_bucket_exists(synth):
    topics = {t["Properties"]["TopicName"] for t in synth.of_type("AWS::SNS::Topic").values()}
    expected = {*resources.TOPICS, resources.ALARM_TOPIC, resources.INBOUND_EMAIL_TOPIC}
    assert {resources.topic_name(synth.stage, k) for k in expected} == topics
    buckets = set(_by_name(synth, "AWS::S3::Bucket", "BucketName"))
    assert {resources.bucket_name(synth.stage, k) for k in {*resources.BUCKETS, resources.MEDIA_BUCKET}} == buckets


def test_functions_know_the_table_and_cognito_and_the_hosted_ui_exists(synth):
    synth.assertions().resource_count_is("AWS::Cognito::UserPoolDomain", 1)
    for fn in synth.of_type("AWS::Serverless::Function").values():
        env = fn["Properties"]["Environment"]["Variables"]
        assert {"ULAKBEL_TABLE", "COGNITO_ISSUER", "COGNITO_AUDIENCE", "COGNITO_HOSTED_UI"} <= set(env)
        assert fn["Properties"]["FunctionName"].startswith(f"ulakbel-{synth.stage}-")
    # the inbound e-mail topic pinned by its ARN (account and region), never by name only, for the API
    [topic] = [k for k, t in synth.of_type("AWS::SNS::Topic").items()
               if t["Properties"]["TopicName"] == resources.topic_name(synth.stage, resources.INBOUND_EMAIL_TOPIC)]
    pinned = {fn["Properties"]["FunctionName"]: fn["Properties"]["Environment"]["Variables"]["INBOUND_EMAIL_TOPIC_ARNS"]
              for fn in synth.of_type("AWS::Serverless::Function").values()
              if "INBOUND_EMAIL_TOPIC_ARNS" in fn["Properties"]["Environment"]["Variables"]}
    assert pinned == {f"ulakbel-{synth.stage}-api_handler": {"Ref": topic}}  # a topic's Ref is its ARN


def test_secrets_reach_functions_as_secret_names_only_where_read(synth):
    names = {s["Properties"]["Name"] for s in synth.of_type("AWS::SecretsManager::Secret").values()}
    for name, logical in chalice_functions().items():
        env = synth.resources[logical]["Properties"]["Environment"]["Variables"]
        assert "resolve:secretsmanager" not in json.dumps(env)  # no value, not even resolved at deploy time
        refs = {k: v for k, v in env.items() if k.endswith(config.SECRET_ID_SUFFIX)}
        assert set(refs) == {spec.secret_env for spec in config.function_secrets(synth.stage, name)}, name
        assert set(refs.values()) <= names and config.secret_values_in(env) == []


def test_outbound_mail_events_reach_delivery_events_through_a_configuration_set(synth):
    """Delivery, bounce and complaint of e-mail we send come back as timeline events (issue 8)."""
    topic_id = next(k for k, v in synth.of_type("AWS::SNS::Topic").items() if v["Properties"]["TopicName"]
                    == resources.topic_name(synth.stage, resources.EMAIL_EVENTS_TOPIC))
    (dest,) = synth.of_type("AWS::SES::ConfigurationSetEventDestination").values()
    props = dest["Properties"]["EventDestination"]
    assert props["SnsDestination"] == {"TopicARN": {"Ref": topic_id}}
    assert {"delivery", "bounce", "complaint"} <= set(props["MatchingEventTypes"])
    subs = [s["Properties"] for s in synth.of_type("AWS::SNS::Subscription").values()
            if s["Properties"].get("Protocol") == "lambda"]
    functions = synth.of_type("AWS::Serverless::Function")
    (fn,) = [f for f in functions.values() if f["Properties"]["FunctionName"].endswith("-delivery_events")]
    (sub,) = fn["Properties"]["Events"].values()
    assert sub["Type"] == "SNS"
    assert json.dumps(sub["Properties"]["Topic"]).endswith(
        f':{resources.topic_name(synth.stage, resources.EMAIL_EVENTS_TOPIC)}"}}'), sub
    (sender,) = [f for f in functions.values() if f["Properties"]["FunctionName"].endswith("-send_outbound")]
    assert "SES_CONFIGURATION_SET" in sender["Properties"]["Environment"]["Variables"]


def test_sns_subscriptions_point_at_this_stages_topics(synth):
    """Topic names are derived from the stage at import: a prod template must never subscribe to dev/local."""
    for fn in synth.of_type("AWS::Serverless::Function").values():
        for event in (fn["Properties"].get("Events") or {}).values():
            if event["Type"] == "SNS":
                assert f":ulakbel-{synth.stage}-" in json.dumps(event["Properties"]["Topic"]), event


def test_amazon_connect_may_invoke_the_intake_function_from_this_account_only(synth):
    (perm,) = [p["Properties"] for p in synth.of_type("AWS::Lambda::Permission").values()
               if p["Properties"].get("Principal") == "connect.amazonaws.com"]
    assert perm["Action"] == "lambda:InvokeFunction" and perm["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_console_may_list_group_members_of_this_stages_staff_pool_only(synth):
    """issue 19: the assign picker's ListUsersInGroup is granted on the stage's own user pool ARN."""
    pools = synth.of_type("AWS::Cognito::UserPool")
    assert len(pools) == 1
    pool = next(iter(pools))
    policies = _function_policies(synth)
    for name, statements in policies.items():
        cognito = [s for s in statements if any(a.startswith("cognito-idp:") for a in (
            s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))]
        if name != "api_handler":
            assert not cognito, name
            continue
        assert len(cognito) == 1 and cognito[0]["Effect"] == "Allow", cognito
        assert cognito[0]["Action"] == "cognito-idp:ListUsersInGroup"
        assert cognito[0]["Resource"] == {"Fn::GetAtt": [pool, "Arn"]}
