"""`ulakbel token` and `ulakbel users add`: staff identities for the stage that is actually running.

token: HS256 dev token on the local stage; on `ulakbel dev --stage prod` a real user-pool RS256 id token
(AdminInitiateAuth on a user it creates, or updates, with the requested groups).
users add: a staff user in the user pool — moto's pool of the running `ulakbel dev --stage prod`, or, with
real AWS credentials and no dev running, the deployed stage's pool (found from its CloudFormation output).
"""
from __future__ import annotations

import re
import sys

from .running import MOTO_CREDENTIAL, CliError, RunningDev, require


def _idp(dev: RunningDev | None, region: str | None = None):
    import boto3

    if dev is not None:
        return boto3.session.Session(aws_access_key_id=MOTO_CREDENTIAL, aws_secret_access_key=MOTO_CREDENTIAL,
                                     aws_session_token=MOTO_CREDENTIAL, region_name=dev.region
                                     ).client("cognito-idp", endpoint_url=dev.moto_endpoint)
    return boto3.session.Session(region_name=region).client("cognito-idp")


def _pool(dev: RunningDev):
    from .user_pool import StaffPool

    if dev.stage == "local" or not dev.user_pool_id:
        raise CliError("Yerel aşamada kullanıcı havuzu yok / the local stage has no user pool: use "
                       "`ulakbel token --role ROLE` (dev tokens), or start `ulakbel dev --stage prod`")
    return StaffPool(dev.user_pool_id, dev.client_id or "", dev.region)


def _token_user(role: str, department: str | None, lead: bool, sub: str | None) -> str:
    if sub:
        return sub if "@" in sub else f"{re.sub(r'[^a-z0-9._-]+', '-', sub.lower())}@ulakbel.local"
    return f"token-{role}{'-' + department if department else ''}{'-lead' if lead else ''}@ulakbel.local"


def token_for(dev: RunningDev, *, role: str, department: str | None = None, lead: bool = False,
              sub: str | None = None, ttl_hours: int = 12) -> str:
    """A bearer token the running dev accepts: HS256 on local, the user pool's RS256 id token on prod."""
    from chalicelib.auth import issue_dev_token

    if dev.stage == "local":
        from .home import dev_secrets

        try:
            return issue_dev_token(dev_secrets()["ULAKBEL_DEV_SIGNING_KEY"], role=role, department=department,
                                   sub=sub, lead=lead, ttl_seconds=ttl_hours * 3600)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    from .user_pool import add_staff_user, admin_sign_in, generated_password

    pool = _pool(dev)
    idp = _idp(dev)
    email = _token_user(role, department, lead, sub)
    password = generated_password()
    try:
        add_staff_user(idp, pool.pool_id, email, role=role, department=department, lead=lead, password=password)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return admin_sign_in(idp, pool, email, password)["IdToken"]


def cmd_token(args) -> int:
    dev = require()
    print(token_for(dev, role=args.role, department=args.department, lead=args.lead, sub=args.sub,
                    ttl_hours=args.ttl_hours))
    if dev.stage != "local":
        print(f"# {dev.stage}: a user-pool id token (RS256), valid as long as the pool says (1 h); "
              "--ttl-hours applies to local dev tokens only", file=sys.stderr)
    return 0


def _deployed_pool_id(stage: str, region: str | None) -> str:
    import boto3

    try:
        stacks = boto3.session.Session(region_name=region).client("cloudformation").describe_stacks(
            StackName=f"ulakbel-{stage}")["Stacks"]
    except Exception as exc:
        raise CliError(f"the stack ulakbel-{stage} was not found ({type(exc).__name__}); "
                       "pass --user-pool-id") from None
    for output in stacks[0].get("Outputs", []):
        if output["OutputKey"] == "UserPoolId":
            return output["OutputValue"]
    raise CliError(f"the stack ulakbel-{stage} has no UserPoolId output; pass --user-pool-id")


def cmd_users_add(args) -> int:
    from .running import NO_CREDENTIALS, find
    from .user_pool import add_staff_user, generated_password

    dev = find()
    if dev is not None:
        pool_id, idp, password = _pool(dev).pool_id, _idp(dev), generated_password()
        where = f"the user pool of `ulakbel dev --stage {dev.stage}` ({pool_id})"
    else:
        import boto3

        if boto3.session.Session().get_credentials() is None:
            raise CliError(NO_CREDENTIALS)
        pool_id = args.user_pool_id or _deployed_pool_id(args.stage, args.region)
        idp, password = _idp(None, args.region), None
        where = f"the user pool {pool_id} of the deployed stage {args.stage}"
    try:
        out = add_staff_user(idp, pool_id, args.email.strip(), role=args.role, department=args.department,
                             lead=args.lead, password=password)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(f"{'created' if out['created'] else 'updated'} {out['email']} in {where}: groups {', '.join(out['groups'])}")
    if password:
        print(f"password / parola (shown only now): {password}")
    else:
        print("Cognito e-mails a temporary password; the user sets their own at first sign-in.")
    return 0


def register(sub) -> None:
    users = sub.add_parser("users", help="staff users of the user pool (prod stage)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create a staff user (or update their role) in the user pool")
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, choices=["admin", "agent", "department", "viewer"])
    add.add_argument("--department", default=None)
    add.add_argument("--lead", action="store_true", help="department lead (may assign)")
    add.add_argument("--stage", default="prod", help="deployed stage when no `ulakbel dev` runs (default prod)")
    add.add_argument("--region", default=None)
    add.add_argument("--user-pool-id", default=None, help="default: the UserPoolId output of stack ulakbel-STAGE")
    add.set_defaults(func=cmd_users_add)
