"""The detector used on the suite's logs must catch what it claims to (and not flag ids and timestamps)."""
from __future__ import annotations

import pytest

from tests.support.pii import find_pii, fixture_names


@pytest.mark.parametrize("text", [
    "call +90 532 111 22 33 now", "0532 111 22 33", "05321112233", "(0532) 111-22-33", "0090 532 111 2233",
    "+905321112233", "0312 444 55 66", "mail ayse.yilmaz@example.com.tr", "tc 10000000146",
    "reply to Ayşe Yılmaz", "+447911123456",
])
def test_detector_finds_personal_data(text):
    assert find_pii(text), text


@pytest.mark.parametrize("text", [
    '{"request_id":"01M8JJ87WQPJ73E7JV18RVR51J","ms":44.3,"status":201}',
    '"timestamp":"2026-11-29 02:30:54,307+0000"', '{"Timestamp":1795919454308}', "tracking TLS-7K2M-9QHX",
    "12345678901",  # 11 digits, checksum fails: not a TC number
    "masked +90*****2233 and a***@example", "[phone] [email] [tckn]",
])
def test_detector_ignores_ids_timestamps_and_masks(text):
    assert find_pii(text) == [], text


def test_names_are_collected_from_the_fixtures():
    assert "Ayşe Yılmaz" in fixture_names()


@pytest.mark.allow_pii_in_logs
def test_the_suite_wide_guard_sees_every_log_line(_pii_log_guard):
    import logging

    from chalicelib.observability import logger

    lines, hits = _pii_log_guard.lines, len(_pii_log_guard.hits)
    logger().info("routed", extra={"phone": "+905321112233"})  # the scrubbing formatter removes it
    assert _pii_log_guard.lines > lines
    logging.getLogger("some.library").warning("sending to ayse@example.com")  # no scrubber: caught
    assert len(_pii_log_guard.hits) > hits
    assert any("ayse@example.com" in h for h in _pii_log_guard.hits[hits:])
