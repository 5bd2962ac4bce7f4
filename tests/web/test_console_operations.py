"""The console's operations section in a real browser: API keys (the secret shown once),
an upload of events imported in the background with its bad lines reported, the audit log
filtered, an erasure confirmed by typing the member id, custom roles that grant no more
than their maker holds, and the pages a Support user may not open."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.activities import service as activities
from loyalist.activities.schemas import parse_events
from loyalist.audit.models import AuditRecord
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.messages import webhooks
from loyalist.messages.schemas import EndpointIn
from loyalist.privacy import service as privacy
from loyalist.staff import service as staff
from loyalist.staff import users
from tests.api.staff_helpers import add_staff, audit_actions
from tests.conftest import event
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import enrolled_staff, sign_in_page

OPERATIONS = "/console/operations"
AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def sign_in_to(page: Page, live: Live, *roles: str, email: str = "olga@shop.example") -> None:
    """``page`` signed in as a new staff user with ``roles``, on the operations index."""
    secret = enrolled_staff(live, email, *roles, name="Olga")
    sign_in_page(page, live, email, secret, OPERATIONS)


def enrol_members(live: Live, *member_ids: str) -> None:
    raws = [
        event(f"enrol-{m}", "member.enrolled", m, AT, email=f"{m.lower()}@example.com")
        for m in member_ids
    ]
    live.app.db.write(lambda uow: activities.ingest_events(uow, parse_events(raws)))


def drain_worker(live: Live) -> None:
    """The worker's passes until nothing is due (the live server runs no worker)."""
    for _ in range(20):
        if not live.app.run_due_work(limit=200).did_work:
            return
    raise AssertionError("the due work did not settle")


def test_owner_sees_every_page_and_each_is_accessible(page: Page, live: Live, axe: Axe) -> None:
    sign_in_to(page, live, "owner")
    links = page.locator("main .op-pages a")
    expect(links).to_have_count(7)
    assert_accessible(axe, page)
    for href in [links.nth(i).get_attribute("href") for i in range(7)]:
        assert href is not None
        page.goto(live.at(href))
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(axe, page)


def test_api_key_secret_is_shown_once(page: Page, live: Live) -> None:
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/api-keys"))
    page.get_by_label("Name", exact=True).fill("Shop back end")
    page.get_by_label("events:write").check()
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#key-form [data-secret-value]")
    expect(secret).to_contain_text("lk_")
    token = secret.inner_text()
    expect(page.locator("#keys-table tr[data-key='Shop back end']")).to_contain_text("active")

    keys = live.app.db.read(
        lambda uow: [(k.id, k.name, list(k.scopes), k.prefix) for k in staff.list_api_keys(uow)]
    )
    assert [k[1:3] for k in keys] == [("Shop back end", ["events:write"])]
    assert token.startswith(f"lk_{keys[0][3]}_")
    assert ("apikey.created", str(keys[0][0])) in [a[:2] for a in audit_actions(live.app)]

    page.reload()
    expect(page.locator("#keys-table tr[data-key='Shop back end']")).to_be_visible()
    assert token not in page.content()

    page.get_by_role("button", name="Rotate Shop back end").click()
    rotated = page.locator("#keys-table [data-secret-value]")
    expect(rotated).to_contain_text("lk_")
    assert rotated.inner_text() != token
    page.get_by_role("button", name="Revoke Shop back end").click()
    expect(page.locator("#keys-table tr[data-key='Shop back end']")).to_contain_text("revoked")


def test_import_reports_bad_lines_and_imports_the_good_ones(
    page: Page, live: Live, axe: Axe
) -> None:
    good = [
        orjson.dumps(event(f"imp-{m}", "member.enrolled", m, AT, email=f"{m}@example.com"))
        for m in ("M1", "M2", "M3")
    ]
    bad_field = orjson.dumps(event("imp-bad", "member.enrolled", "M4", AT, email="not-an-email"))
    lines = [good[0], b'{"id": "broken"', good[1], bad_field, good[2]]
    content = b"\n".join(lines) + b"\n"
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/imports"))
    upload = {"name": "events.jsonl", "mimeType": "application/x-ndjson", "buffer": content}
    page.get_by_label("File of events").set_input_files(upload)  # type: ignore[arg-type]
    page.get_by_role("button", name="Upload and import").click()
    job = page.locator("#import-upload [data-import]")
    expect(job).to_have_attribute("data-status", "queued")

    drain_worker(live)
    expect(job).to_have_attribute("data-status", "done", timeout=10_000)
    expect(job.locator("[data-imported]")).to_have_text("3")
    expect(job.locator("[data-error-count]")).to_have_text("2")
    expect(job.locator("progress")).to_have_attribute("value", "5")
    expect(job.locator("tr[data-line='2']")).to_contain_text("malformed JSON")
    expect(job.locator("tr[data-line='4']")).to_contain_text("/data/email")
    assert_accessible(axe, page)

    def stored(uow: UnitOfWork) -> list[str]:
        # By external id: PostgreSQL's member ids do not restart for each test.
        return sorted(members.member_ids(uow, ["M1", "M2", "M3", "M4", "M5"]))

    assert live.app.db.read(stored) == ["M1", "M2", "M3"]
    assert live.app.db.read(members.count_members) == 3

    # The same file again: every good event is recognised by its id, nothing twice.
    page.reload()
    page.get_by_label("File of events").set_input_files(upload)  # type: ignore[arg-type]
    page.get_by_role("button", name="Upload and import").click()
    again = page.locator("#import-upload [data-import]")
    expect(again).to_have_attribute("data-status", "queued")
    drain_worker(live)
    expect(again).to_have_attribute("data-status", "done", timeout=10_000)
    expect(again.locator("[data-imported]")).to_have_text("0")
    expect(again.locator("[data-replayed]")).to_have_text("3")
    assert live.app.db.read(stored) == ["M1", "M2", "M3"]


def test_an_upload_that_is_not_text_is_refused_at_the_file(
    page: Page, live: Live, watch: Watch
) -> None:
    watch.expect_error("status of 422")
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/imports"))
    upload = {"name": "events.jsonl", "mimeType": "application/octet-stream", "buffer": b"\xff\xfe"}
    page.get_by_label("File of events").set_input_files(upload)  # type: ignore[arg-type]
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("[data-field-error='file']")).to_contain_text("not UTF-8")


def test_audit_log_filters_by_action(page: Page, live: Live) -> None:
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/api-keys"))
    page.get_by_label("Name", exact=True).fill("Till")
    page.get_by_label("points:read").check()
    page.get_by_role("button", name="Create key").click()
    expect(page.locator("#key-form [data-secret-value]")).to_be_visible()

    page.goto(live.at(f"{OPERATIONS}/audit"))
    expect(page.locator("table.audit tbody tr").first).to_be_visible()
    actions = set(
        page.locator("table.audit tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    )
    assert {"apikey.created", "staff.user_created"} <= actions
    page.get_by_label("Action").fill("apikey.created")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(lambda url: "action=apikey.created" in url)
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Olga")

    page.get_by_label("From (day)").fill("2030-01-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No audit row matches.")).to_be_visible()


def test_erasure_needs_the_member_id_typed_again_and_shows_the_record(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    watch.expect_error("status of 422")
    enrol_members(live, "M9")
    sign_in_to(page, live, "privacy_officer")
    page.goto(live.at(f"{OPERATIONS}/privacy"))
    exporting = page.locator("#export-form")
    exporting.get_by_label("Member id (the shop's)").fill("M9")
    exporting.get_by_role("button", name="Export").click()
    expect(page.locator("#export-form [data-export] pre")).to_contain_text("m9@example.com")
    assert "privacy.export" in [a[0] for a in audit_actions(live.app)]

    form = page.locator("#erasure-form")
    form.get_by_label("Member id (the shop's)").fill("M9")
    form.get_by_label("Request reference").fill("REQ-7")
    form.get_by_label("Type the member id again to confirm").fill("M8")
    form.get_by_role("button", name="Erase this member").click()
    expect(page.locator("#erasure-form [data-field-error='confirm']")).to_be_visible()
    assert (
        live.app.db.read(lambda uow: privacy.destruction_records(uow, limit=5, before=None))[0]
        == []
    )

    form = page.locator("#erasure-form")
    form.get_by_label("Type the member id again to confirm").fill("M9")
    form.get_by_role("button", name="Erase this member").click()
    record = page.locator("#erasure-form [data-destruction-record]")
    expect(record).to_contain_text("REQ-7")
    assert_accessible(axe, page)

    records, _ = live.app.db.read(
        lambda uow: privacy.destruction_records(uow, limit=5, before=None)
    )
    assert [(r.reference, r.legal_basis.value) for r in records] == [("REQ-7", "subject_request")]
    expect(record).to_contain_text(records[0].subject)
    erased = live.app.db.read(_erasure_rows)
    assert len(erased) == 1


def _erasure_rows(uow: UnitOfWork) -> list[Any]:
    from sqlalchemy import select

    return list(
        uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "privacy.erasure"))
    )


def test_a_role_granting_more_than_its_maker_holds_is_refused_at_the_permissions(
    page: Page, live: Live, watch: Watch
) -> None:
    watch.expect_error("status of 403")
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/roles"))
    form = page.locator("#role-form")
    form.get_by_label("Slug").fill("people")
    form.get_by_label("Name", exact=True).fill("People manager")
    form.get_by_label("staff.manage").check()
    form.get_by_label("members.read", exact=True).check()
    form.get_by_role("button", name="Create role").click()
    expect(page.locator("#roles-table tr[data-role='people']")).to_contain_text("staff.manage")
    row = page.locator("#roles-table tr[data-role='people']")
    row.get_by_text("Edit People manager").click()
    row.get_by_label("Name", exact=True).fill("People lead")
    row.get_by_role("button", name="Save People manager").click()
    expect(page.locator("#roles-table tr[data-role='people']")).to_contain_text("People lead")

    add_staff(live.app, "pia@shop.example", "people", name="Pia")
    page.context.clear_cookies()
    secret = enrolled_staff(live, "pia2@shop.example", "people", name="Pia")
    sign_in_page(page, live, "pia2@shop.example", secret, f"{OPERATIONS}/roles")
    form = page.locator("#role-form")
    form.get_by_label("Slug").fill("keys")
    form.get_by_label("Name", exact=True).fill("Key keeper")
    form.get_by_label("keys.manage").check()
    form.get_by_role("button", name="Create role").click()
    expect(page.locator("#role-form [data-field-error='permissions']")).to_contain_text(
        "keys.manage"
    )
    roles = live.app.db.read(lambda uow: [r.slug for r in staff.list_roles(uow)])
    assert "keys" not in roles


def test_staff_user_created_and_disabled(page: Page, live: Live) -> None:
    sign_in_to(page, live, "owner")
    page.goto(live.at(f"{OPERATIONS}/staff"))
    form = page.locator("#staff-form")
    form.get_by_label("Email").fill("sam@shop.example")
    form.get_by_label("Name", exact=True).fill("Sam")
    form.get_by_label("First password").fill("correct horse battery staple")
    form.get_by_label("Support").check()
    form.get_by_role("button", name="Create staff user").click()
    expect(page.locator("#staff-form [role='status']")).to_contain_text("Sam")
    row = page.locator("#staff-table tr[data-user='sam@shop.example']")
    expect(row).to_contain_text("active")
    row.get_by_role("button", name="Disable Sam").click()
    expect(page.locator("#staff-table tr[data-user='sam@shop.example']")).to_contain_text(
        "disabled"
    )
    sam = live.app.db.read(
        lambda uow: next(u for u in users.list_users(uow) if u.email == "sam@shop.example")
    )
    assert not sam.is_active
    assert sam.roles == ["support"]
    assert ("staff.user_disabled", str(sam.id)) in [a[:2] for a in audit_actions(live.app)]


def test_support_cannot_open_staff_or_keys(page: Page, live: Live, watch: Watch) -> None:
    sign_in_to(page, live, "support")
    expect(page.locator("main .op-pages a")).to_have_text(["Webhooks"])
    watch.expect_error("403")
    for path in ("/staff", "/roles", "/api-keys", "/audit", "/privacy", "/imports"):
        answer = page.goto(live.at(OPERATIONS + path))
        assert answer is not None
        assert answer.status == 403, path
        expect(page.locator("main")).to_contain_text("permission")


def test_webhook_endpoint_secret_rotated_and_disabled(page: Page, live: Live, watch: Watch) -> None:
    body = EndpointIn(url="https://hooks.shop.example/loyalty", event_types=["points.awarded"])
    made = live.app.db.write(lambda uow: webhooks.register(uow, body).endpoint.id)
    sign_in_to(page, live, "marketer")
    page.goto(live.at(f"{OPERATIONS}/webhooks"))
    card = page.locator(f"[data-endpoint='{made}']")
    expect(card).to_contain_text("enabled")
    card.get_by_text("Delivery log").click()
    expect(card).to_contain_text("Nothing sent yet.")

    card.get_by_role("button", name="Rotate secret").click()
    expect(page.locator("#endpoints [data-secret-value]")).to_contain_text("whsec_")
    page.locator(f"[data-endpoint='{made}']").get_by_role("button", name="Disable").click()
    expect(page.locator(f"[data-endpoint='{made}']")).to_contain_text("disabled")
    enabled = live.app.db.read(lambda uow: [e.is_enabled for e in webhooks.list_endpoints(uow)])
    assert enabled == [False]
    done = [a[:2] for a in audit_actions(live.app)]
    assert ("webhook_endpoint.secret_rotated", made) in done
    assert ("webhook_endpoint.changed", made) in done

    # A loopback address is refused at the URL field (the server allows no private ones).
    watch.expect_error("status of 422")
    form = page.locator("#endpoint-form")
    form.get_by_label("URL").fill("http://127.0.0.1:9/hook")
    form.get_by_label("points.awarded").check()
    form.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#endpoint-form [data-field-error='url']")).to_be_visible()
    assert len(live.app.db.read(webhooks.list_endpoints)) == 1
