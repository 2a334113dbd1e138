"""SMS through Amazon SNS `publish` to an E.164 number (moto's SNS locally). The client is injected."""
from __future__ import annotations

from typing import Any

from ...domain.outbound import OutboundMessage, PermanentSendError, SendResult, TransientSendError

_PERMANENT = {"InvalidParameter", "InvalidParameterValue", "OptedOut", "AuthorizationError", "EndpointDisabled"}


class SnsSmsSender:
    def __init__(self, sns_client: Any, sender_id: str | None = None) -> None:
        self.sns = sns_client
        self.sender_id = sender_id

    def send(self, message: OutboundMessage) -> SendResult:
        if not message.to or not message.to.startswith("+"):
            raise PermanentSendError("sms: E.164 telefon numarası yok / no E.164 phone number")
        attrs = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sender_id:
            attrs["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": self.sender_id}
        try:
            out = self.sns.publish(PhoneNumber=message.to, Message=message.text, MessageAttributes=attrs)
        except Exception as exc:  # botocore ClientError / connection errors (no botocore import here)
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            if code in _PERMANENT:
                raise PermanentSendError(f"sms: {code}") from None
            raise TransientSendError(f"sms: {code}") from None
        return SendResult("sns", out["MessageId"])
