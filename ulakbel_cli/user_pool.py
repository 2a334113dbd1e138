"""The staff user pool: created in moto by `ulakbel dev --stage prod` (the same groups infra/ creates), staff
added by `ulakbel users add`, and real user-pool tokens for `ulakbel token` via AdminInitiateAuth."""
from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from botocore.exceptions import ClientError

from chalicelib.auth import user_pool_groups, user_pool_groups_for


@dataclass(frozen=True)
class StaffPool:
    pool_id: str
    client_id: str
    region: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"


def generated_password() -> str:
    """Meets the pool's policy (12+ characters, upper, lower, digit)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(20))
        if any(c.islower() for c in value) and any(c.isupper() for c in value) and any(c.isdigit() for c in value):
            return value


def create_staff_pool(idp, stage: str, *, callback_url: str, logout_url: str) -> StaffPool:
    """What infra/stack.py `_cognito` declares, in moto. The app client also allows admin password sign-in:
    the local sign-in page and `ulakbel token` use it (moto has no hosted UI)."""
    pool_id = idp.create_user_pool(
        PoolName=f"ulakbel-{stage}-staff", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": False}})["UserPool"]["Id"]
    for group in user_pool_groups():
        idp.create_group(UserPoolId=pool_id, GroupName=group)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=f"ulakbel-{stage}-console", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email", "profile"],
        AllowedOAuthFlowsUserPoolClient=True, CallbackURLs=[callback_url], LogoutURLs=[logout_url],
        SupportedIdentityProviders=["COGNITO"], PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]["ClientId"]
    return StaffPool(pool_id, client_id, idp.meta.region_name)


def add_staff_user(idp, pool_id: str, email: str, *, role: str, department: str | None = None,
                   lead: bool = False, password: str | None = None) -> dict:
    """Creates the user (or updates the groups of an existing one). With `password` the password is set
    permanent (local pool); without, Cognito e-mails a temporary password (real pool)."""
    groups = user_pool_groups_for(role, department, lead)
    created = True
    kwargs = {"MessageAction": "SUPPRESS"} if password else {"DesiredDeliveryMediums": ["EMAIL"]}
    try:
        idp.admin_create_user(UserPoolId=pool_id, Username=email,
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}], **kwargs)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "UsernameExistsException":
            raise
        created = False
    if password:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    current = {g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=email)["Groups"]}
    for group in current - set(groups):
        idp.admin_remove_user_from_group(UserPoolId=pool_id, Username=email, GroupName=group)
    for group in set(groups) - current:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)
    return {"email": email, "groups": groups, "created": created}


def admin_sign_in(idp, pool: StaffPool, email: str, password: str) -> dict:
    """AuthenticationResult (IdToken, AccessToken, RefreshToken, ExpiresIn) of a password sign-in."""
    return idp.admin_initiate_auth(UserPoolId=pool.pool_id, ClientId=pool.client_id,
                                   AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": email, "PASSWORD": password})["AuthenticationResult"]


def admin_refresh(idp, pool: StaffPool, refresh_token: str) -> dict:
    return idp.admin_initiate_auth(UserPoolId=pool.pool_id, ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                   AuthParameters={"REFRESH_TOKEN": refresh_token})["AuthenticationResult"]
