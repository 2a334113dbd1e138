"""The inbox is right over ALL matching requests, not a page: 260 requests (more than the page of 25 and the
old 200-request search window), every sort × filter checked against the same list sorted in Python, walking
every page (no skipped or repeated rows), from DynamoDB Queries only (the session's zero-Scan guard)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.auth import Principal
from chalicelib.domain.inbox import fold, search_field, terms
from chalicelib.domain.models import Kind, Status
from chalicelib.usecases.console import PAGE_SIZE, InboxFilters, inbox
from tests.console.helpers import session, text_of

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=timezone.utc)  # frozen: overdue verdicts never depend on the clock
N = 260
FAR = datetime.max.replace(tzinfo=timezone.utc)


def _write(requests):
    from chalicelib import container
    from chalicelib.adapters.aws import client

    repo = container.repository()
    from chalicelib.adapters.schema.requests import header_item

    items = [header_item(r) for r in requests]
    for start in range(0, len(items), 25):
        pending = {repo.table_name: [{"PutRequest": {"Item": repo._av(i)}} for i in items[start:start + 25]]}
        while pending:
            pending = client("dynamodb").batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


@pytest.fixture
def table(aws):
    from ulakbel_cli.history import history_requests

    rnd = random.Random(7)
    requests = history_requests(N, NOW, days=60, open_share=0.4, seed=5)
    for n, r in enumerate(requests):
        r.kind = [Kind.sikayet, Kind.talep, Kind.oneri][n % 3]
        if n % 4 == 0:
            r.assignee = "ekip-1" if n % 8 == 0 else "ekip-2"
        if n % 11 == 0:
            r.text = f"ÇUKURLAR yüzünden araç hasar gördü ({n})"
        if r.is_open and n % 5 == 0:
            r.due_at = NOW + timedelta(hours=rnd.uniform(-100, 100))
        if n % 13 == 0:
            r.due_at = None  # no deadline at all: listed after the ones with one when sorting by due date
    _write(requests)
    return requests


def walk(principal, **filters):
    """Every page, following the cursor; the page size is never exceeded."""
    rows, cursor, pages = [], None, 0
    while True:
        page = inbox(_repo(), principal, InboxFilters(**filters, next=cursor), now=NOW)
        assert len(page.items) <= PAGE_SIZE
        rows += [r["id"] for r in page.items]
        pages += 1
        cursor = page.next
        if not cursor:
            return rows, pages
        assert pages < 200


def _repo():
    from chalicelib import container

    return container.repository()


def expected(requests, sort="new", *, where=lambda r: True, overdue=False):
    chosen = [r for r in requests if where(r)]
    if overdue:
        chosen = [r for r in chosen if r.is_open and r.due_at is not None and r.due_at < NOW]
    if sort == "new":
        return [r.id for r in sorted(chosen, key=lambda r: (r.received_at, r.id), reverse=True)]
    if sort == "old":
        return [r.id for r in sorted(chosen, key=lambda r: (r.received_at, r.id))]
    with_due = sorted((r for r in chosen if r.is_open and r.due_at), key=lambda r: (r.due_at, r.id))
    rest = sorted((r for r in chosen if not (r.is_open and r.due_at)), key=lambda r: (r.received_at, r.id),
                  reverse=True)
    return [r.id for r in with_due + rest]


ADMIN = Principal(sub="admin-1", role="admin")


@pytest.mark.parametrize("sort", ["new", "old", "due"])
def test_every_sort_over_all_requests_pages_without_gaps(table, sort):
    rows, pages = walk(ADMIN, sort=sort)
    assert rows == expected(table, sort)
    assert len(rows) == N and len(set(rows)) == N and pages >= N // PAGE_SIZE


@pytest.mark.parametrize("sort", ["new", "old", "due"])
def test_sort_combined_with_filters(table, sort):
    dept = table[0].department
    rows, _ = walk(ADMIN, sort=sort, department=dept, kind="talep")
    want = expected(table, sort, where=lambda r: r.department == dept and r.kind is Kind.talep)
    assert rows == want and want
    rows, _ = walk(ADMIN, sort=sort, status="resolved", channel="phone")
    assert rows == expected(table, sort, where=lambda r: r.status is Status.resolved and r.channel.value == "phone")


@pytest.mark.parametrize("sort", ["new", "due"])
def test_overdue_is_every_open_request_past_its_deadline(table, sort):
    rows, _ = walk(ADMIN, sort=sort, overdue=True)
    want = expected(table, sort, overdue=True)
    assert rows == want and len(want) > 5


def test_assigned_to_me_comes_from_the_assignee_index(table):
    me = Principal(sub="ekip-2", role="agent")
    rows, _ = walk(me, sort="old", mine=True)
    want = expected(table, "old", where=lambda r: r.assignee == "ekip-2")
    assert rows == want and len(want) > PAGE_SIZE  # more than one page of them


def test_department_staff_see_only_their_department_with_every_sort(table):
    dept = table[1].department
    member = Principal(sub="m-1", role="department", department=dept)
    rows, _ = walk(member, sort="due", department="some-other")  # the department filter is forced to theirs
    assert rows == expected(table, "due", where=lambda r: r.department == dept)


def test_text_search_covers_all_requests_with_turkish_folding(table):
    import re

    def having(*stems):
        return expected(table, "new", where=lambda r: all(re.search(rf"\b{s}", fold(r.text)) for s in stems))

    want = having("cukurlar")
    assert len(want) > PAGE_SIZE // 2
    for q in ("ÇUKURLAR", "çukurlar", "Cukurlar hasar"):
        rows, _ = walk(ADMIN, sort="new", q=q)
        assert rows == want, q
    rows, _ = walk(ADMIN, sort="new", q="çukur")  # a word start: "çukur var" and "ÇUKURLAR"
    assert rows == having("cukur") and len(rows) > len(want)
    # the oldest match is far beyond any window of the newest requests
    assert want[-1] in expected(table, "new")[-30:]
    rows, _ = walk(ADMIN, sort="old", q=table[5].tracking_code)
    assert rows == [table[5].id]
    assert walk(ADMIN, q="çukur yokkelime")[0] == []


def test_search_terms_fold_turkish_and_match_word_starts():
    assert terms("  İSTANBUL ılık Çöp  ç ") == ("istanbul", "ilik", "cop")
    field = search_field("Kırık KALDIRIM taşları", "TLS-2026-AB12")
    assert " kaldirim" in field and " tas" in field and " ab12" in field and " aldirim" not in field


def test_the_inbox_page_lists_rows_in_display_order_with_their_ids(client, table):
    import re

    headers, _ = session("admin")
    seen, url = [], "/console?sort=old"
    for _ in range(3):
        page = text_of(client.http.get(url, headers=headers).body)
        seen += re.findall(r'data-request-id="([^"]+)"', page)
        url = re.search(r'href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert seen == expected(table, "old")[:3 * PAGE_SIZE]
    assert client.http.get("/console?next=garbage", headers=headers).status_code == 400
