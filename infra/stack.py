"""The whole ulakbel system as one CDK stack, driven by chalicelib/resources.py and infra/permissions.py.

Nothing here names a resource by hand: table, indexes, queues (one per department from the same
department data the local bootstrap uses), topics, buckets and secrets all come from chalicelib.resources,
so `ulakbel dev` (moto) and AWS cannot drift.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import (
    aws_apigateway as apigw,
    aws_cloudwatch as cw,
    aws_cloudwatch_actions as cw_actions,
    aws_cognito as cognito,
    aws_dynamodb as dynamodb,
    aws_iam as iam,
    aws_lambda as lambda_,
    aws_logs as logs,
    aws_s3 as s3,
    aws_secretsmanager as secretsmanager,
    aws_ses as ses,
    aws_sns as sns,
    aws_sqs as sqs,
)
from constructs import Construct

from chalicelib import config, resources
from chalicelib.domain.departments import municipality

from . import permissions

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("dev", "prod")
PLACEHOLDER_ROLE = "arn:aws:iam::123456789012:role/ulakbel-placeholder"  # replaced per function below
LOG_RETENTION = {"dev": logs.RetentionDays.ONE_MONTH, "prod": logs.RetentionDays.ONE_YEAR}
STREAM_MAX_RETRIES = 5
STREAM_FAILURE_KEY = "stream-failures"  # on-failure destination of the stream consumers


# ----------------------------------------------------------------------------------------------------
# Suppressions: every one carries its justification, next to it, in the template metadata.

def suppress(construct: Construct | cdk.CfnResource, checkov: dict[str, str] | None = None,
             cfn_lint: dict[str, str] | None = None) -> None:
    """Attach justified checkov / cfn-lint suppressions to the underlying CloudFormation resource."""
    res = construct if isinstance(construct, cdk.CfnResource) else construct.node.default_child
    if checkov:
        res.add_metadata("checkov", {"skip": [{"id": k, "comment": v} for k, v in checkov.items()]})
    if cfn_lint:
        res.add_metadata("cfn-lint", {"config": {"ignore_checks": list(cfn_lint)},
                                      "justification": cfn_lint})


NO_CMK = "AWS-managed encryption at rest is on; a customer-managed KMS key is an optional cost per municipality"
NO_VPC = "No VPC resources are used (DynamoDB, SQS, SNS, S3 over IAM-authorised AWS endpoints); a VPC would add NAT cost"
NO_RESERVED = "Reserved concurrency is tuned per account (new accounts have a 10-execution quota); API throttling caps load"
NO_ASYNC_DLQ = "Not invoked asynchronously: API Gateway calls it synchronously and event-source mappings carry their own on-failure destination"
LAMBDA_SKIPS = {"CKV_AWS_116": NO_ASYNC_DLQ, "CKV_AWS_117": NO_VPC, "CKV_AWS_115": NO_RESERVED,
                "CKV_AWS_173": NO_CMK}


# ----------------------------------------------------------------------------------------------------
# The Chalice app, discovered (the same introspection the permission test uses).

def chalice_functions() -> dict[str, str]:
    """Every Lambda function the Chalice app declares: {chalice name: SAM logical id}."""
    from chalice.utils import to_cfn_resource_name

    import app as chalice_app

    a = chalice_app.app
    names: dict[str, str] = {}
    if a.routes:
        names["api_handler"] = "APIHandler"
    for fn in a.pure_lambda_functions:
        names[fn.name] = to_cfn_resource_name(fn.name)
    for source in a.event_sources:
        names[source.name] = to_cfn_resource_name(source.name)
    for auth in a.builtin_auth_handlers:
        names[auth.name] = to_cfn_resource_name(auth.name)
    return names


def packaged_municipality() -> str:
    """The folder name the functions get as ULAKBEL_MUNICIPALITY: the synthesising process's choice, which must
    be a valid folder under municipalities/ (the package carries only those). Synthesis stops otherwise."""
    from chalicelib import container
    from chalicelib.domain import data_files
    from chalicelib.usecases.municipality_check import check_folder, render

    folder = container.settings().municipality_folder
    if folder.parent.resolve() != data_files.MUNICIPALITIES.resolve():
        raise ValueError(f"ULAKBEL_MUNICIPALITY={folder}: deploy a folder under municipalities/ (the Lambda package "
                         "carries only those)")
    report = check_folder(folder)
    if not report.ok:
        raise ValueError(render(report))
    return folder.name


def app_only_source(dest: Path) -> Path:
    """A copy of the Chalice project without requirements.txt: packaging then needs no network and takes
    a second (tests, `make synth APP_ONLY=1`). The deployable package is built from the real project."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copy2(ROOT / "app.py", dest / "app.py")
    shutil.copytree(ROOT / "chalicelib", dest / "chalicelib", ignore=ignore)
    shutil.copytree(ROOT / ".chalice", dest / ".chalice", ignore=ignore)
    # The municipalities' folders: Chalice copies vendor/ into the package root, beside chalicelib/.
    shutil.copytree(ROOT / "municipalities", dest / "vendor" / "municipalities", ignore=ignore)
    return dest


# ----------------------------------------------------------------------------------------------------

class UlakbelStack(cdk.Stack):
    def __init__(self, scope: Construct, stage: str, *, source_dir: Path | None = None,
                 mail_domain: str = "ulakbel.example.bel.tr", cors_origin: str = "*",
                 alarm_email: str | None = None, public_base_url: str | None = None,
                 auth_domain_prefix: str | None = None, **kwargs: Any) -> None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        # The construct id is the stage: chalice.cdk.Chalice packages the stage named after its scope.
        super().__init__(scope, stage, stack_name=f"ulakbel-{stage}",
                         description=f"ulakbel citizen-communication platform ({stage})", **kwargs)
        self.stage = stage
        self.public_base_url = (public_base_url or "").rstrip("/") or None
        self.auth_domain_prefix = auth_domain_prefix or f"ulakbel-{stage}-{municipality().code}"
        self.prod = stage == "prod"
        self.retain = cdk.RemovalPolicy.RETAIN if self.prod else cdk.RemovalPolicy.DESTROY
        cdk.Tags.of(self).add("app", "ulakbel")
        cdk.Tags.of(self).add("stage", stage)

        self.alarm_topic = self._topic(resources.ALARM_TOPIC)
        if alarm_email:
            sns.Subscription(self, "AlarmEmail", topic=self.alarm_topic, protocol=sns.SubscriptionProtocol.EMAIL,
                             endpoint=alarm_email)
        self.table = self._table()
        self.task_queues = {key: self._queue_pair(f"Tasks-{key}", names, fifo=True)
                            for key, names in resources.task_queues(stage).items()}
        service = dict(resources.SERVICE_QUEUES)
        service.setdefault(STREAM_FAILURE_KEY, 300)
        self.service_queues = {key: self._queue_pair(f"Service-{key}", resources.service_queue(stage, key),
                                                     fifo=False, visibility=vis)
                               for key, vis in service.items()}
        self.topics = {key: self._topic(key) for key in
                       dict.fromkeys((*resources.TOPICS, resources.INBOUND_EMAIL_TOPIC))}
        self.topics[resources.ALARM_TOPIC] = self.alarm_topic
        self.buckets = {key: self._bucket(key, cors_origin)
                        for key in dict.fromkeys((*resources.BUCKETS, resources.MEDIA_BUCKET))}
        # Every secret the code reads on this stage (chalicelib/config.py), keyed by its setting name.
        self.secrets = {spec.env_var: self._secret(spec) for spec in config.secret_specs(stage)}
        self.mail_domain = mail_domain
        self.mail_identity = self._mail(mail_domain)
        self.user_pool, self.user_pool_client = self._cognito()

        self.chalice = self._chalice(source_dir or ROOT)
        self.functions = chalice_functions()
        self.log_groups = {name: self._function_log_group(name, logical)
                           for name, logical in self.functions.items()}
        self.roles = {name: self._function_role(name, logical) for name, logical in self.functions.items()}
        self.mappings = self._event_source_mappings()
        self._harden_chalice_event_sources()
        self._api(cors_origin)
        self._environment()
        self._dashboard()
        if "connect_intake" in self.functions:  # Amazon Connect contact flows invoke it (same account only)
            lambda_.CfnPermission(self, "ConnectInvokesIntake", action="lambda:InvokeFunction",
                                  function_name=self._fn(self.functions["connect_intake"]).ref,
                                  principal="connect.amazonaws.com", source_account=cdk.Aws.ACCOUNT_ID)

        cdk.CfnOutput(self, "TableName", value=self.table.table_name)
        cdk.CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        cdk.CfnOutput(self, "UserPoolClientId", value=self.user_pool_client.user_pool_client_id)
        cdk.CfnOutput(self, "ReceiptRuleSetName", value=self.receipt_rule_set.ref)

    # ------------------------------------------------------------------ data
    def _table(self) -> dynamodb.Table:
        table = dynamodb.Table(
            self, "Requests",
            table_name=resources.table_name(self.stage),
            partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="SK", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            time_to_live_attribute="expires_at",
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            deletion_protection=self.prod,
            removal_policy=self.retain,
        )
        for name, pk, sk in resources.INDEXES:
            table.add_global_secondary_index(
                index_name=name,
                partition_key=dynamodb.Attribute(name=pk, type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name=sk, type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL)
        suppress(table, checkov={"CKV_AWS_119": NO_CMK})
        return table

    def _queue_pair(self, cid: str, names: resources.QueueNames, *, fifo: bool, visibility: int = 300) -> sqs.Queue:
        common = {"fifo": True} if fifo else {}
        dlq = sqs.Queue(self, f"{cid}-dlq", queue_name=names.dlq, retention_period=cdk.Duration.days(14),
                        encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True, **common)
        queue = sqs.Queue(
            self, cid, queue_name=names.name, visibility_timeout=cdk.Duration.seconds(visibility),
            encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=resources.MAX_RECEIVE_COUNT),
            **({"fifo": True, "content_based_deduplication": False} if fifo else {}))
        queue.dlq_ref = dlq  # type: ignore[attr-defined]
        for q in (queue, dlq):
            suppress(q, checkov={"CKV_AWS_27": "Encrypted at rest with SSE-SQS (SqsManagedSseEnabled); the check only "
                                               "recognises a KMS key. " + NO_CMK})
        alarm = cw.Alarm(
            self, f"{cid}-dlq-depth",
            alarm_name=f"{names.dlq}-depth",
            alarm_description=f"Messages are waiting in {names.dlq}: inspect and replay (`ulakbel dlq`)",
            metric=dlq.metric_approximate_number_of_messages_visible(period=cdk.Duration.minutes(5),
                                                                      statistic="Maximum"),
            threshold=0, comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1, treat_missing_data=cw.TreatMissingData.NOT_BREACHING)
        alarm.add_alarm_action(cw_actions.SnsAction(self.alarm_topic))
        return queue

    def _topic(self, key: str) -> sns.Topic:
        topic = sns.Topic(self, f"Topic-{key}", topic_name=resources.topic_name(self.stage, key),
                          enforce_ssl=True)
        suppress(topic, checkov={"CKV_AWS_26": NO_CMK + " (SNS encrypts at rest; AWS-managed key)"})
        return topic

    def _bucket(self, key: str, cors_origin: str) -> s3.Bucket:
        bucket = s3.Bucket(
            self, f"Bucket-{key}", bucket_name=resources.bucket_name(self.stage, key),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True, versioned=True, object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=self.retain,
            lifecycle_rules=[
                s3.LifecycleRule(id="abort-incomplete-uploads",
                                 abort_incomplete_multipart_upload_after=cdk.Duration.days(1)),
                s3.LifecycleRule(id="expire-old-versions", noncurrent_version_expiration=cdk.Duration.days(30)),
                s3.LifecycleRule(id="infrequent-access", transitions=[s3.Transition(
                    storage_class=s3.StorageClass.INFREQUENT_ACCESS, transition_after=cdk.Duration.days(90))]),
            ],
            # Browsers upload photos straight to S3 with presigned PUT URLs from the API.
            cors=[s3.CorsRule(allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                              allowed_origins=[cors_origin], allowed_headers=["content-type", "content-md5"],
                              max_age=3000)],
        )
        suppress(bucket, checkov={
            "CKV_AWS_18": "Access logging needs a second bucket per stage; CloudTrail data events are the audit trail",
        })
        return bucket

    def _secret(self, spec: config.SecretSpec) -> secretsmanager.Secret:
        todo = "generated" if spec.generate else "fill in after deploy; see README"
        secret = secretsmanager.Secret(
            self, f"Secret-{spec.env_var}", secret_name=spec.name,
            description=f"ulakbel {self.stage}: {spec.env_var}, {spec.description} ({todo})"[:2048],
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True,
                                                                        password_length=48),
            removal_policy=self.retain)
        suppress(secret, checkov={
            "CKV_AWS_149": NO_CMK,
        })
        return secret

    def _mail(self, domain: str) -> ses.EmailIdentity:
        identity = ses.EmailIdentity(self, "MailIdentity", identity=ses.Identity.domain(domain))
        topic = self.topics[resources.INBOUND_EMAIL_TOPIC]
        topic.add_to_resource_policy(iam.PolicyStatement(
            actions=["sns:Publish"], principals=[iam.ServicePrincipal("ses.amazonaws.com")],
            resources=[topic.topic_arn],
            conditions={"StringEquals": {"AWS:SourceAccount": cdk.Aws.ACCOUNT_ID}}))
        self.receipt_rule_set = ses.CfnReceiptRuleSet(self, "ReceiptRuleSet",
                                                      rule_set_name=f"ulakbel-{self.stage}-inbound")
        rule = ses.CfnReceiptRule(
            self, "InboundToSns", rule_set_name=self.receipt_rule_set.ref,
            rule=ses.CfnReceiptRule.RuleProperty(
                name=f"ulakbel-{self.stage}-to-sns", enabled=True, scan_enabled=True, tls_policy="Require",
                recipients=[domain],
                actions=[ses.CfnReceiptRule.ActionProperty(sns_action=ses.CfnReceiptRule.SNSActionProperty(
                    topic_arn=topic.topic_arn, encoding="UTF-8"))]))
        rule.node.add_dependency(topic.node.find_child("Policy"))  # SES checks it may publish
        # Outbound e-mail status: a configuration set sends delivery/bounce/complaint/reject events to SNS,
        # whose subscriber `delivery_events` appends them to the request's timeline.
        events = self.topics[resources.EMAIL_EVENTS_TOPIC]
        events.add_to_resource_policy(iam.PolicyStatement(
            actions=["sns:Publish"], principals=[iam.ServicePrincipal("ses.amazonaws.com")],
            resources=[events.topic_arn],
            conditions={"StringEquals": {"AWS:SourceAccount": cdk.Aws.ACCOUNT_ID}}))
        self.configuration_set = ses.CfnConfigurationSet(self, "MailEvents", name=f"ulakbel-{self.stage}-outbound")
        destination = ses.CfnConfigurationSetEventDestination(
            self, "MailEventsToSns", configuration_set_name=self.configuration_set.ref,
            event_destination=ses.CfnConfigurationSetEventDestination.EventDestinationProperty(
                name="to-sns", enabled=True,
                matching_event_types=["delivery", "bounce", "complaint", "reject"],
                sns_destination=ses.CfnConfigurationSetEventDestination.SnsDestinationProperty(
                    topic_arn=events.topic_arn)))
        destination.node.add_dependency(events.node.find_child("Policy"))
        return identity

    def _cognito(self) -> tuple[cognito.UserPool, cognito.UserPoolClient]:
        pool = cognito.UserPool(
            self, "Staff", user_pool_name=f"ulakbel-{self.stage}-staff", self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True), mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(min_length=12, require_digits=True, require_lowercase=True,
                                                   require_uppercase=True, require_symbols=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY, deletion_protection=self.prod,
            removal_policy=self.retain)
        # Hosted UI for the staff console: authorization code with PKCE (public client, no secret) back to
        # <public_base_url>/console/callback. The domain prefix must be unique in the region.
        self.hosted_ui = pool.add_domain("HostedUi", cognito_domain=cognito.CognitoDomainOptions(
            domain_prefix=self.auth_domain_prefix))
        callback = f"{self.public_base_url}/console/callback" if self.public_base_url else None
        client = pool.add_client(
            "Console", user_pool_client_name=f"ulakbel-{self.stage}-console", generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True), prevent_user_existence_errors=True,
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=[callback] if callback else None,
                logout_urls=[f"{self.public_base_url}/console/login"] if callback else None) if callback else None,
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO])
        for group in cognito_groups():
            cognito.CfnUserPoolGroup(self, f"Group-{group}", user_pool_id=pool.user_pool_id, group_name=group)
        return pool, client

    # ------------------------------------------------------------------ functions
    def _chalice(self, source_dir: Path):
        from chalice.cdk import Chalice

        return Chalice(self, "Api", source_dir=str(source_dir), stage_config={
            # One role per function, built below from infra/permissions.py (autogen_policy stays off).
            "manage_iam_role": False, "iam_role_arn": PLACEHOLDER_ROLE, "autogen_policy": False})

    def _fn(self, logical: str) -> cdk.CfnResource:
        return self.chalice.get_resource(logical)

    def function_name(self, name: str) -> str:
        return f"ulakbel-{self.stage}-{name}"  # what `chalice deploy` would call it

    def _function_log_group(self, name: str, logical: str) -> logs.LogGroup:
        # A fixed function name lets the log group (and the role's log permission) exist before the function
        # without a dependency cycle, so Lambda never creates an unmanaged group with infinite retention.
        self._fn(logical).add_property_override("FunctionName", self.function_name(name))
        group = logs.LogGroup(self, f"Logs-{name}", log_group_name=f"/aws/lambda/{self.function_name(name)}",
                              retention=LOG_RETENTION[self.stage], removal_policy=self.retain)
        suppress(group, checkov={"CKV_AWS_158": NO_CMK})
        return group

    def resource_arns(self, key: str) -> list[str]:
        """Symbolic resource key (infra/permissions.py) → exact ARNs. Unknown keys fail synthesis."""
        kind, _, arg = key.partition(":")
        table_arn = self.table.table_arn
        simple = {
            "table": [table_arn],
            "table-indexes": [f"{table_arn}/index/*"],
            "table-stream": [self.table.table_stream_arn],
            "task-queues": [q.queue_arn for q in self.task_queues.values()],
            "ses-identity": [cdk.Arn.format(cdk.ArnComponents(
                service="ses", resource="identity", resource_name=self.mail_identity.email_identity_name), self)],
            "sms": ["*"],
            "ses-configuration-set": [cdk.Arn.format(cdk.ArnComponents(
                service="ses", resource="configuration-set", resource_name=self.configuration_set.ref), self)],
            "transcribe-jobs": [cdk.Arn.format(cdk.ArnComponents(
                service="transcribe", resource="transcription-job", resource_name=f"ulakbel-{self.stage}-*"), self)],
            "connect-recordings": ["arn:aws:s3:::*/connect/*/CallRecordings/*"],
            "user-pool": [self.user_pool.user_pool_arn],
        }
        if key in simple:
            return simple[key]
        table = {"queue": lambda a: [self.service_queues[a].queue_arn],
                 "dlq": lambda a: [self.service_queues[a].dlq_ref.queue_arn],
                 "topic": lambda a: [self.topics[a].topic_arn],
                 "bucket": lambda a: [self.buckets[a].bucket_arn],
                 "bucket-objects": lambda a: [self.buckets[a].arn_for_objects("*")],
                 "secret": lambda a: [self.secrets[a].secret_arn]}
        try:
            return table[kind](arg)
        except KeyError:
            raise KeyError(f"infra/permissions.py: unknown resource key {key!r}") from None

    def _function_role(self, name: str, logical: str) -> iam.Role:
        if name not in permissions.FUNCTION_PERMISSIONS:
            raise KeyError(f"Lambda function {name!r} has no entry in infra/permissions.py FUNCTION_PERMISSIONS")
        role = iam.Role(self, f"Role-{name}", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"ulakbel {self.stage} {name}: least privilege from infra/permissions.py")
        statements = [
            iam.PolicyStatement(sid="OwnLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                resources=[self.log_groups[name].log_group_arn]),
            # X-Ray has no resource-level permissions: "*" is the only valid resource for these two actions.
            iam.PolicyStatement(sid="Tracing", actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                                resources=["*"]),
        ]
        for i, (actions, keys) in enumerate(permissions.FUNCTION_PERMISSIONS[name]):
            arns = [arn for key in keys for arn in self.resource_arns(key)]
            statements.append(iam.PolicyStatement(sid=f"Grant{i}", actions=list(actions), resources=arns))
        readable = [self.secrets[spec.env_var].secret_arn for spec in config.function_secrets(self.stage, name)]
        if readable:  # exactly the secrets chalicelib/config.py says this function reads
            statements.append(iam.PolicyStatement(sid="ReadSecrets", actions=["secretsmanager:GetSecretValue"],
                                                  resources=readable))
        if any("sms" in keys for _, keys in permissions.FUNCTION_PERMISSIONS[name]):
            # sns:Publish to a phone number has no resource ARN; deny every topic so only direct SMS remains.
            statements.append(iam.PolicyStatement(
                sid="SmsOnlyNoTopics", effect=iam.Effect.DENY, actions=["sns:Publish"],
                resources=[cdk.Arn.format(cdk.ArnComponents(service="sns", resource="*", region="*",
                                                            account="*", arn_format=cdk.ArnFormat.NO_RESOURCE_NAME),
                                          self)]))
        policy = iam.Policy(self, f"Policy-{name}", statements=statements)
        if any("sms" in keys for _, keys in permissions.FUNCTION_PERMISSIONS[name]):
            suppress(policy, checkov={"CKV_AWS_111": "sns:Publish to a phone number (SMS) has no resource ARN; "
                                                     "a Deny on every SNS topic ARN limits it to direct SMS"})
        policy.attach_to_role(role)
        fn = self._fn(logical)
        fn.add_property_override("Role", role.role_arn)
        fn.node.add_dependency(policy)
        fn.node.add_dependency(self.log_groups[name])
        suppress(fn, checkov=LAMBDA_SKIPS)
        self._policies = getattr(self, "_policies", {})
        self._policies[name] = policy
        return role

    def _event_source_mappings(self) -> dict[str, lambda_.CfnEventSourceMapping]:
        mappings: dict[str, lambda_.CfnEventSourceMapping] = {}
        failures = self.service_queues[STREAM_FAILURE_KEY]
        from chalicelib.adapters.stream_filters import stream_filters

        filters = stream_filters()  # the dev pump applies the same patterns (issue 21)
        for name in resources.STREAM_CONSUMERS:
            if name not in self.functions:
                raise KeyError(f"STREAM_CONSUMERS names {name!r} but the Chalice app declares no such function")
            mappings[name] = lambda_.CfnEventSourceMapping(
                self, f"Stream-{name}", function_name=self._fn(self.functions[name]).ref,
                event_source_arn=self.table.table_stream_arn, starting_position="TRIM_HORIZON",
                batch_size=25, maximum_batching_window_in_seconds=1, bisect_batch_on_function_error=True,
                maximum_retry_attempts=STREAM_MAX_RETRIES, maximum_record_age_in_seconds=86400,
                function_response_types=["ReportBatchItemFailures"],
                filter_criteria=lambda_.CfnEventSourceMapping.FilterCriteriaProperty(filters=[
                    lambda_.CfnEventSourceMapping.FilterProperty(pattern=json.dumps(p, ensure_ascii=False))
                    for p in filters[name]]),
                destination_config=lambda_.CfnEventSourceMapping.DestinationConfigProperty(
                    on_failure=lambda_.CfnEventSourceMapping.OnFailureProperty(destination=failures.queue_arn)))
            self._extra(name, "StreamRead", ["dynamodb:DescribeStream", "dynamodb:GetRecords",
                                             "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
                        [self.table.table_stream_arn], mappings[name])
            self._extra(name, "OnFailure", ["sqs:SendMessage"], [failures.queue_arn], mappings[name])
        for name, key in resources.QUEUE_CONSUMERS.items():
            if name not in self.functions:
                raise KeyError(f"QUEUE_CONSUMERS names {name!r} but the Chalice app declares no such function")
            queue = self.service_queues[key]
            mappings[name] = lambda_.CfnEventSourceMapping(
                self, f"Queue-{name}", function_name=self._fn(self.functions[name]).ref,
                event_source_arn=queue.queue_arn, batch_size=10, maximum_batching_window_in_seconds=1,
                function_response_types=["ReportBatchItemFailures"])  # failures: queue redrive → its DLQ
            self._extra(name, "QueueRead", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                            "sqs:ChangeMessageVisibility"], [queue.queue_arn], mappings[name])
        return mappings

    def _harden_chalice_event_sources(self) -> None:
        """Event sources declared with Chalice decorators (on_sqs_message, on_dynamodb_record, ...) get the same
        partial-batch, bisect and on-failure settings as the mappings above, and their read permissions."""
        sam = json.loads((Path(self.chalice._sam_package_dir) / "sam.json").read_text())
        by_logical = {logical: name for name, logical in self.functions.items()}
        failures = self.service_queues[STREAM_FAILURE_KEY]
        for logical, res in sam["Resources"].items():
            for event_id, event in (res.get("Properties", {}).get("Events") or {}).items():
                kind, props = event.get("Type"), f"Events.{event_id}.Properties"
                fn, name = self._fn(logical), by_logical.get(logical)
                if kind == "SQS":
                    fn.add_property_override(f"{props}.FunctionResponseTypes", ["ReportBatchItemFailures"])
                    self._policies[name].add_statements(iam.PolicyStatement(
                        sid=f"Read{event_id}", resources=[self._cfn_value(event["Properties"]["Queue"])],
                        actions=["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                 "sqs:ChangeMessageVisibility"]))
                elif kind == "CloudWatchEvent":  # EventBridge invokes asynchronously: 2 retries, then a queue
                    config_ = lambda_.CfnEventInvokeConfig(
                        self, f"AsyncFailures-{name}", function_name=fn.ref, qualifier="$LATEST",
                        maximum_retry_attempts=2, maximum_event_age_in_seconds=6 * 3600,
                        destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                            on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(
                                destination=failures.queue_arn)))
                    self._policies[name].add_statements(iam.PolicyStatement(
                        sid=f"OnFailure{event_id}", actions=["sqs:SendMessage"], resources=[failures.queue_arn]))
                    config_.node.add_dependency(self._policies[name])
                elif kind in ("DynamoDB", "Kinesis"):
                    for key, value in {"FunctionResponseTypes": ["ReportBatchItemFailures"],
                                       "BisectBatchOnFunctionError": True,
                                       "MaximumRetryAttempts": STREAM_MAX_RETRIES,
                                       "DestinationConfig": {"OnFailure": {"Type": "SQS",
                                                                           "Destination": failures.queue_arn}}
                                       }.items():
                        fn.add_property_override(f"{props}.{key}", value)
                    prefix = "dynamodb" if kind == "DynamoDB" else "kinesis"
                    actions = ([f"{prefix}:DescribeStream", f"{prefix}:GetRecords", f"{prefix}:GetShardIterator",
                                f"{prefix}:ListStreams"] if kind == "DynamoDB" else
                               [f"{prefix}:DescribeStream", f"{prefix}:DescribeStreamSummary",
                                f"{prefix}:GetRecords", f"{prefix}:GetShardIterator", f"{prefix}:ListShards"])
                    self._policies[name].add_statements(
                        iam.PolicyStatement(sid=f"Read{event_id}", actions=actions,
                                            resources=[self._cfn_value(event["Properties"]["Stream"])]),
                        iam.PolicyStatement(sid=f"OnFailure{event_id}", actions=["sqs:SendMessage"],
                                            resources=[failures.queue_arn]))

    def _cfn_value(self, value: Any) -> str:
        """A CloudFormation value from the Chalice template (string, Fn::Sub or Fn::GetAtt) as a CDK string."""
        if isinstance(value, str):
            return value
        if "Fn::Sub" in value:
            return cdk.Fn.sub(value["Fn::Sub"])
        if "Fn::GetAtt" in value:
            logical, attr = value["Fn::GetAtt"]
            return self._fn(logical).get_att(attr).to_string()
        raise ValueError(f"unsupported CloudFormation value in the Chalice template: {value!r}")

    def _extra(self, name: str, sid: str, actions: list[str], arns: list[str], mapping: cdk.CfnResource) -> None:
        self._policies[name].add_statements(iam.PolicyStatement(sid=sid, actions=actions, resources=arns))
        mapping.node.add_dependency(self._policies[name])

    def _api(self, cors_origin: str) -> None:
        api = self._fn("RestAPI")
        access_logs = logs.LogGroup(self, "ApiAccessLogs", retention=LOG_RETENTION[self.stage],
                                    removal_policy=self.retain)
        suppress(access_logs, checkov={"CKV_AWS_158": NO_CMK})
        cors = {"Access-Control-Allow-Origin": f"'{cors_origin}'",
                "Access-Control-Allow-Headers": "'Authorization,Content-Type,Idempotency-Key'",
                "Access-Control-Allow-Methods": "'GET,POST,PUT,PATCH,DELETE,OPTIONS'"}
        api.add_property_override("TracingEnabled", True)
        api.add_property_override("GatewayResponses", {
            kind: {"ResponseParameters": {"Headers": cors}} for kind in ("DEFAULT_4XX", "DEFAULT_5XX")})
        api.add_property_override("MethodSettings", [{
            "ResourcePath": "/*", "HttpMethod": "*", "MetricsEnabled": True, "LoggingLevel": "ERROR",
            "DataTraceEnabled": False,
            "ThrottlingRateLimit": 50 if self.prod else 10, "ThrottlingBurstLimit": 100 if self.prod else 20}])
        api.add_property_override("AccessLogSetting", {
            "DestinationArn": access_logs.log_group_arn,
            "Format": json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp",
                                  "method": "$context.httpMethod", "path": "$context.resourcePath",
                                  "status": "$context.status", "latencyMs": "$context.responseLatency"})})
        suppress(api, checkov={
            "CKV_AWS_120": "Responses are per-user and change on every action; an API cache would serve stale inboxes",
        })
        # API Gateway needs an account-level role to write access/execution logs.
        cw_role = iam.Role(self, "ApiGatewayLogsRole", assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
                           managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                               "service-role/AmazonAPIGatewayPushToCloudWatchLogs")])
        account = apigw.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=cw_role.role_arn)
        api.node.add_dependency(account)
        alarm = cw.Alarm(self, "Api5xx", alarm_name=f"ulakbel-{self.stage}-api-5xx",
                         alarm_description="The API returned server errors",
                         metric=cw.Metric(namespace="AWS/ApiGateway", metric_name="5XXError",
                                          dimensions_map={"ApiName": "ulakbel"}, statistic="Sum",
                                          period=cdk.Duration.minutes(5)),
                         threshold=5, evaluation_periods=1, treat_missing_data=cw.TreatMissingData.NOT_BREACHING)
        alarm.add_alarm_action(cw_actions.SnsAction(self.alarm_topic))

    def _environment(self) -> None:
        """Each function's environment from chalicelib/config.py: resource values, and secrets as the names of
        their Secrets Manager secrets (never their values). Its memory from FUNCTION_MEMORY_MB."""
        issuer = f"https://cognito-idp.{cdk.Aws.REGION}.amazonaws.com/{self.user_pool.user_pool_id}"
        known = {"ULAKBEL_TABLE": self.table.table_name, "COGNITO_ISSUER": issuer,
                 "COGNITO_AUDIENCE": self.user_pool_client.user_pool_client_id,
                 "COGNITO_HOSTED_UI": self.hosted_ui.base_url(),
                 "PUBLIC_BASE_URL": self.public_base_url,
                 "SES_CONFIGURATION_SET": self.configuration_set.ref,
                 "ULAKBEL_EMAIL_SENDER": f"bildirim@{self.mail_domain}",
                 # the municipality this stack serves: its folder travels in the package (vendor/municipalities)
                 "ULAKBEL_MUNICIPALITY": packaged_municipality(),
                 # pinned by ARN (account and region): /webhooks/sns/email accepts only this topic
                 "INBOUND_EMAIL_TOPIC_ARNS": self.topics[resources.INBOUND_EMAIL_TOPIC].topic_arn}
        for name, logical in self.functions.items():
            for key, value in config.lambda_environment(self.stage, name, known).items():
                self.chalice.add_environment_variable(key, value, logical)
            self._fn(logical).add_property_override("MemorySize", function_memory_mb(name))

    def _dashboard(self) -> None:
        board = cw.Dashboard(self, "Dashboard", dashboard_name=f"ulakbel-{self.stage}")
        board.add_widgets(
            cw.GraphWidget(title="API requests and errors", width=12, left=[
                cw.Metric(namespace="AWS/ApiGateway", metric_name=m, dimensions_map={"ApiName": "ulakbel"},
                          statistic="Sum") for m in ("Count", "4XXError", "5XXError")]),
            cw.GraphWidget(title="API latency p95", width=12, left=[
                cw.Metric(namespace="AWS/ApiGateway", metric_name="Latency", dimensions_map={"ApiName": "ulakbel"},
                          statistic="p95")]))
        board.add_widgets(
            cw.GraphWidget(title="Lambda errors", width=12, left=[
                cw.Metric(namespace="AWS/Lambda", metric_name="Errors",
                          dimensions_map={"FunctionName": self.function_name(name)}, statistic="Sum", label=name)
                for name, logical in self.functions.items()]),
            cw.GraphWidget(title="Dead-letter queues", width=12, left=[
                q.dlq_ref.metric_approximate_number_of_messages_visible(label=key)
                for key, q in {**self.task_queues, **self.service_queues}.items()]))
        board.add_widgets(cw.GraphWidget(title="Department queues (waiting tasks)", width=24, left=[
            q.metric_approximate_number_of_messages_visible(label=key) for key, q in self.task_queues.items()]))


# Memory per function from measurement: peak RSS (MB) of a fresh process importing the app and handling a typical
# invocation, measured with `scripts/measure_memory.py` (figures and reasons in docs/deploy.md). A new function
# has no figure and fails synthesis until it is measured.
MEASURED_PEAK_RSS_MB: dict[str, float] = {
    "route_requests": 102.7, "api_handler": 102.6, "send_outbound": 90.8, "notify_citizens": 85.2,
    "escalation_sweep": 80.6, "inbound_email": 78.9, "connect_intake": 78.8, "inbound_sms": 78.7,
    "delivery_events": 78.6, "kvkk_retention": 78.4, "aggregate_requests": 78.0, "workflow_events": 66.1,
    "netgsm_poll": 65.4, "youtube_poll_comments": 65.4, "youtube_renew_websub": 64.1,
    # Issue 22, measured with `MEASURE_ONLY=... scripts/measure_memory.py` (route_requests 102.1 in the same run);
    # a 16 MB recording (the fetch limit) held twice still fits the 256 MB this gives transcribe_voicemail.
    "transcribe_voicemail": 95.0, "voicemail_transcribed": 94.8,
}
# Lambda gives CPU in proportion to memory: the API (webhooks answer within platform timeouts, staff wait on the
# console) and the router (classifier and gazetteer loaded on a cold start) get a larger share than RSS needs.
CPU_MEMORY_MB = {"api_handler": 512, "route_requests": 512}


def function_memory_mb(name: str) -> int:
    """Twice the measured peak (bigger batches and e-mails, the X-Ray SDK, the runtime), in 128 MB steps."""
    need = -(-int(2 * MEASURED_PEAK_RSS_MB[name] + 0.999) // 128) * 128
    return max(128, need, CPU_MEMORY_MB.get(name, 0))


def cognito_groups() -> list[str]:
    """Group names chalicelib.auth maps to a Principal: role-<role>, dept-<code>, lead."""
    from chalicelib.auth import ROLES

    return [f"role-{r}" for r in ROLES] + [f"dept-{c}" for c in municipality().codes] + ["lead"]


def build(stage: str, *, outdir: str | None = None, app_only: bool = False,
          context: dict[str, Any] | None = None) -> tuple[cdk.App, UlakbelStack]:
    """Synthesise in-process (no AWS account, no network). Returns the app (call .synth()) and the stack."""
    import os

    app = cdk.App(outdir=outdir, context=context or {})
    ctx = app.node.try_get_context
    source = None
    workdir = tempfile.mkdtemp(prefix="ulakbel-synth-")
    if app_only:
        source = app_only_source(Path(tempfile.mkdtemp(prefix="ulakbel-src-")))
    # Chalice's packager imports `app` (with the stage's environment variables written into os.environ and
    # the project put on sys.path): import it from this checkout first and restore both afterwards, so a
    # synthesis inside a test session leaves no trace.
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    saved_env, saved_path = dict(os.environ), list(sys.path)
    # Names derived from the stage at import (e.g. the SNS topics `on_sns_message` subscribes to) must be
    # this stage's: import the app afresh with ULAKBEL_STAGE set, and put back whatever was loaded before.
    ours = [m for m in sys.modules if m == "app" or m.startswith("chalicelib.handlers")]
    saved_modules = {m: sys.modules.pop(m) for m in ours}
    os.environ["ULAKBEL_STAGE"] = stage
    from chalicelib.settings import reset_settings

    reset_settings()  # the settings of this stage while the app is imported, the caller's again afterwards
    import app as _chalice_app  # noqa: F401

    cwd = os.getcwd()
    os.chdir(workdir)  # chalice.cdk writes its chalice.out/ package into the working directory
    try:
        stack = UlakbelStack(app, stage, source_dir=source,
                             mail_domain=ctx("mail_domain") or "ulakbel.example.bel.tr",
                             cors_origin=ctx("cors_origin") or "*", alarm_email=ctx("alarm_email"),
                             public_base_url=ctx("public_base_url"), auth_domain_prefix=ctx("auth_domain_prefix"),
                             env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
                                                 region=ctx("region") or os.environ.get("CDK_DEFAULT_REGION")
                                                 or "eu-central-1"))
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.path[:] = saved_path
        for m in [m for m in sys.modules if m == "app" or m.startswith("chalicelib.handlers")]:
            del sys.modules[m]
        sys.modules.update(saved_modules)
        reset_settings()
    return app, stack
