"""E-mail through Amazon SES `send_raw_email`, threaded under the citizen's message (In-Reply-To)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from ...domain.outbound import OutboundMessage, PermanentSendError, SendResult, TransientSendError

_PERMANENT = {"MessageRejected", "MailFromDomainNotVerified", "InvalidParameterValue", "AccountSendingPaused"}


def build_mime(message: OutboundMessage, sender: str) -> EmailMessage:
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to or ""
    subject = message.subject or "Talebiniz hakkında / About your request"
    if message.tracking_code and message.tracking_code not in subject:
        subject = f"{subject} [{message.tracking_code}]"
    mime["Subject"] = ("Re: " + subject) if message.in_reply_to and not subject.startswith("Re:") else subject
    mime["Message-ID"] = make_msgid(idstring=message.message_id, domain=sender.rpartition("@")[2] or None)
    if message.in_reply_to:
        ref = message.in_reply_to if message.in_reply_to.startswith("<") else f"<{message.in_reply_to}>"
        mime["In-Reply-To"] = ref
        mime["References"] = ref
    mime["X-Ulakbel-Message-Id"] = message.message_id
    mime.set_content(message.text, charset="utf-8")
    return mime


class SesEmailSender:
    def __init__(self, ses_client: Any, sender: str, configuration_set: str | None = None) -> None:
        self.ses = ses_client
        self.sender = sender
        self.configuration_set = configuration_set

    def send(self, message: OutboundMessage) -> SendResult:
        if not message.to:
            raise PermanentSendError("email: adres yok / no address")
        kwargs: dict[str, Any] = {"Source": self.sender, "Destinations": [message.to],
                                  "RawMessage": {"Data": build_mime(message, self.sender).as_bytes()}}
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        try:
            out = self.ses.send_raw_email(**kwargs)
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            if code in _PERMANENT:
                raise PermanentSendError(f"email: {code}") from None
            raise TransientSendError(f"email: {code}") from None
        return SendResult("ses", out["MessageId"])
