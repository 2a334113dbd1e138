"""The small once-only and state items around requests, by intention: consent, surveys, outbound send
state, reply links, channel poll state and Open311 keys. Keys and shapes come from `schema`.

Written once over the table primitives (put_marker, swap_marker, get_marker, get_markers, put_markers,
_query_all) that both the DynamoDB adapter and the in-memory twin provide, so the two cannot drift."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.models import TimelineEvent
from ..domain.ports import Precondition
from .schema import channels, corrections as correction_keys, outbound, privacy, replies, requests, surveys
from .schema.base import from_stored, sortable


def _attrs(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """A marker's attributes, without the keys (callers never see how it is stored)."""
    return None if item is None else {k: v for k, v in item.items() if k not in ("PK", "SK")}


class Markers:
    # -- consent -------------------------------------------------------------------------------------
    def consent(self, channel: str, address: str) -> dict[str, Any] | None:
        return _attrs(self.get_marker(*privacy.opt_out_key(channel, address)))

    def record_consent(self, channel: str, address: str, attrs: dict[str, Any]) -> None:
        """STOP (opted_out_at, source) or START (opted_in_at, revoked): the latest word stands."""
        self.put_marker(*privacy.opt_out_key(channel, address), {"channel": channel, **attrs}, only_if_new=False)

    # -- surveys -------------------------------------------------------------------------------------
    def open_survey(self, phone: str, request_id: str, sent_at: datetime) -> None:
        self.put_marker(*surveys.survey_key(phone), {"request_id": request_id, "sent_at": sent_at.isoformat()},
                        only_if_new=False)

    def pending_survey(self, phone: str) -> dict[str, Any] | None:
        return _attrs(self.get_marker(*surveys.survey_key(phone)))

    def close_survey(self, phone: str, pending: dict[str, Any], score: int) -> None:
        self.put_marker(*surveys.survey_key(phone), {**pending, "answered": True, "score": score}, only_if_new=False)

    def survey_answers(self, department: str) -> list[dict[str, Any]]:
        """Every survey answer of one department (one Query of its partition)."""
        return [_attrs(i) for i in self._query_all(surveys.answers_pk(department))]

    # -- the live inbox's reply feed (issue 19) -------------------------------------------------------
    def citizen_replies_since(self, department: str | None, after: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """Citizens' replies after `after` on requests of `department` (None: every department), newest
        first, at most `limit`: [{request_id, tracking_code, at, channel, department}]. One Query."""
        return [replies.reply_from_item(i) for i in
                self._query_after(replies.reply_feed_pk(department), replies.after_sk(after), limit)]

    # -- staff corrections of the classifier (issue 18) ----------------------------------------------
    def record_correction(self, correction: dict[str, Any]) -> bool:
        """Store one staff correction (a labelled example for `ulakbel train`), once per timeline event: a
        retried forward or re-classification does not store it twice (False then). The text is already scrubbed."""
        item = correction_keys.correction_item(correction, datetime.fromisoformat(correction["at"]))
        return self.put_marker(item["PK"], item["SK"], {k: v for k, v in item.items() if k not in ("PK", "SK")})

    def corrections(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Staff corrections stored in [since, until], oldest first: one Query per month partition, no Scan."""
        return [from_stored(correction_keys.correction_from_item(item))
                for month in correction_keys.months(since, until)
                for item in self._query_all(correction_keys.correction_pk(month))
                if correction_keys.in_range(item["SK"], since, until)]

    # -- outbound ------------------------------------------------------------------------------------
    def take_notify_slot(self, address: str, day: str, slot: int, expires_at: int | None) -> bool:
        return self.put_marker(outbound.cap_pk(address), outbound.cap_sk(day, slot),
                               {"expires_at": expires_at} if expires_at else {})

    def mark_notification_queued(self, message_id: str, request_id: str) -> bool:
        """True the first time only: a redelivered stream record queues nothing new."""
        return self.put_marker(outbound.notify_pk(message_id), outbound.NOTIFY_SK, {"request_id": request_id})

    def send_state(self, message_id: str, consents: list[tuple[str, str]]
                   ) -> tuple[dict[str, Any], list[dict[str, Any] | None]]:
        """A message's send state and the consent markers of (channel, address) pairs, in one read."""
        wanted = [outbound.state_key(message_id), *[privacy.opt_out_key(ch, a) for ch, a in consents]]
        found = self.get_markers(wanted)
        return _attrs(found.get(wanted[0])) or {}, [_attrs(found.get(k)) for k in wanted[1:]]

    def set_send_state(self, message_id: str, attrs: dict[str, Any]) -> None:
        self.put_marker(*outbound.state_key(message_id), attrs, only_if_new=False)

    def swap_send_state(self, message_id: str, attrs: dict[str, Any], *, expected: dict[str, Any] | None) -> bool:
        return self.swap_marker(*outbound.state_key(message_id), attrs, expected=expected)

    def record_sent(self, message_id: str, state: dict[str, Any], link: dict[str, Any] | None,
                    events: list[tuple[str, TimelineEvent]]) -> None:
        """"sent", the platform id → request link and the timeline event in one transaction."""
        items = [outbound.state_item(message_id, state)]
        if link:
            items.append(outbound.platform_link_item(link["platform"], link["platform_message_id"],
                                                     request_id=link["request_id"], message_id=message_id,
                                                     channel=link["channel"]))
        self.put_markers(items, events=events)

    def platform_link(self, platform: str, platform_message_id: str) -> dict[str, Any] | None:
        return _attrs(self.get_marker(outbound.platform_pk(platform, platform_message_id), outbound.PLATFORM_LINK_SK))

    def mark_delivery_status(self, platform: str, platform_message_id: str, status: str, request_id: str) -> bool:
        """True the first time this status of this platform message is reported."""
        return self.put_marker(outbound.delivery_status_pk(platform, platform_message_id, status),
                               outbound.STATUS_SK, {"request_id": request_id})

    def record_outbox(self, platform_message_id: str, record: dict[str, Any]) -> None:
        self.put_marker(outbound.outbox_pk(platform_message_id), outbound.OUTBOX_SK, record)

    def push_subscriptions(self, request_id: str) -> dict[str, Any] | None:
        return _attrs(self.get_marker(*outbound.push_key(request_id)))

    def swap_push_subscriptions(self, request_id: str, attrs: dict[str, Any], *,
                                expected: dict[str, Any] | None) -> bool:
        """Compare-and-set of a request's Web Push subscriptions (one winner among concurrent changes)."""
        return self.swap_marker(*outbound.push_key(request_id), attrs, expected=expected)

    # -- replies on unthreaded channels ----------------------------------------------------------------
    def link_reply(self, channel: str, message_id: str, request_id: str) -> None:
        """A citizen-visible reply's platform id → its request, so an answer quoting it finds the request."""
        self.put_marker(requests.reply_link_pk(channel, message_id), requests.REPLY_LINK_SK,
                        {"request_id": request_id}, only_if_new=False)

    def request_replied_by(self, channel: str, message_id: str) -> str | None:
        marker = self.get_marker(requests.reply_link_pk(channel, message_id), requests.REPLY_LINK_SK)
        return marker["request_id"] if marker else None

    def last_resolved(self, channel: str, citizen: str) -> str | None:
        marker = self.get_marker(requests.last_resolved_pk(channel, citizen), requests.LAST_RESOLVED_SK)
        return marker["request_id"] if marker else None

    def no_resolution_since(self, name: str, channel: str, citizen: str, cutoff: datetime) -> Precondition:
        """A check for `create`: this citizen has no request resolved after `cutoff` on this channel."""
        return Precondition(name=name, pk=requests.last_resolved_pk(channel, citizen), sk=requests.LAST_RESOLVED_SK,
                            passes_if=("resolved_at", "<", sortable(cutoff)))

    # -- channel state ---------------------------------------------------------------------------------
    def netgsm_poll_state(self) -> dict[str, Any]:
        return _attrs(self.get_marker(*channels.NETGSM_POLL_KEY)) or {}

    def save_netgsm_poll_state(self, last_stop: datetime) -> None:
        self.put_marker(*channels.NETGSM_POLL_KEY, {"last_stop": last_stop.isoformat()}, only_if_new=False)

    def store_api_key(self, digest: str, attrs: dict[str, Any]) -> None:
        self.put_marker(channels.open311_key_pk(digest), channels.OPEN311_KEY_SK, attrs)

    def api_key(self, digest: str) -> dict[str, Any] | None:
        return _attrs(self.get_marker(channels.open311_key_pk(digest), channels.OPEN311_KEY_SK))
