"""Bulk generation of unique coupon codes: exact counts, the charset and pattern, codes that
collide with stored ones (the PostgreSQL ``COPY`` and its fallback), resuming an
interrupted run, idempotent request keys, the 1% space limit, codes of unfinished batches,
and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.coupons import codes, generation, repository, validation
from loyalist.coupons import service as coupons
from loyalist.coupons.codes import ALPHABET, normalize, space
from loyalist.coupons.models import BatchStatus, CouponBatch, CouponCode
from loyalist.coupons.schemas import CampaignIn, Cart, GenerateIn
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError
from loyalist.members import service as members
from tests.conftest import START

SPRING: dict[str, Any] = {
    "name": {"en": "Spring sale", "ru": "Весенняя распродажа"},
    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
}
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 5000}]}
)
LOOK_ALIKES = set("0O1ILU")


def put_campaign(app: Loyalist, key: str = "spring", **overrides: Any) -> None:
    spec = CampaignIn.model_validate(SPRING | overrides)
    app.db.write(lambda uow: coupons.put_campaign(uow, key, spec))


def spec(count: int, request_key: str = "run-1", **pattern: Any) -> GenerateIn:
    return GenerateIn(count=count, request_key=request_key, **pattern)


def stored(app: Loyalist, campaign: str = "spring") -> list[tuple[int, str, int | None, int]]:
    """``(batch_id, code, max_uses, uses)`` of the campaign's codes, by id."""

    def op(uow: UnitOfWork) -> list[tuple[int, str, int | None, int]]:
        campaign_id = coupons.get_campaign(uow, campaign).id
        rows = uow.session.execute(
            select(CouponCode.batch_id, CouponCode.code, CouponCode.max_uses, CouponCode.uses)
            .where(CouponCode.campaign_id == campaign_id)
            .order_by(CouponCode.id)
        )
        return [(b, c, m, u) for b, c, m, u in rows if b is not None]

    return app.db.read(op)


def batches(app: Loyalist) -> list[tuple[str, int, int, str]]:
    """``(request_key, requested, generated, status)`` of every batch, by id."""

    def op(uow: UnitOfWork) -> list[tuple[str, int, int, str]]:
        rows = uow.session.scalars(select(CouponBatch).order_by(CouponBatch.id))
        return [(b.request_key, b.requested, b.generated, b.status) for b in rows]

    return app.db.read(op)


def validate(app: Loyalist, text: str) -> dict[str, Any]:
    return app.db.read(
        lambda uow: validation.validate(
            uow, uow.now, text, CART, validation.audience_of(uow, None, UTC)
        )
    )


def start(app: Loyalist, wanted: GenerateIn, campaign: str = "spring") -> int:
    return app.db.write(lambda uow: generation.start_or_resume(uow, campaign, wanted).id)


def chunk(app: Loyalist, batch_id: int, size: int) -> generation.Chunk:
    return app.db.write(lambda uow: generation.add_chunk(uow, batch_id, size=size))


class TestGenerate:
    def test_stores_exactly_the_requested_distinct_codes_and_readies_the_batch(
        self, app: Loyalist
    ) -> None:
        put_campaign(app, uses_per_code=3)
        seen: list[tuple[int, int]] = []
        run = generation.generate(
            app.db,
            "spring",
            spec(12_345),
            progress=lambda done, total: seen.append((done, total)),
            chunk_size=5_000,
        )
        rows = stored(app)
        assert len(rows) == 12_345
        assert len({code for _, code, _, _ in rows}) == 12_345
        assert {(batch, max_uses, uses) for batch, _, max_uses, uses in rows} == {
            (run.batch.id, 3, 0)
        }
        assert (run.created, run.added, run.batch.generated) == (True, 12_345, 12_345)
        assert (run.batch.status, run.batch.finished_at) == (BatchStatus.READY, START)
        assert batches(app) == [("run-1", 12_345, 12_345, "ready")]
        assert seen == [(0, 12_345), (5_000, 12_345), (10_000, 12_345), (12_345, 12_345)]

    def test_codes_are_the_prefix_then_random_characters_without_look_alikes(
        self, app: Loyalist
    ) -> None:
        put_campaign(app)
        generation.generate(app.db, "spring", spec(3_000, prefix="sp26", length=8, group=4))
        shape = re.compile(rf"^SP26[{ALPHABET}]{{8}}$")
        rows = stored(app)
        assert [code for _, code, _, _ in rows if not shape.match(code)] == []
        bodies = "".join(code[4:] for _, code, _, _ in rows)
        assert not LOOK_ALIKES & set(bodies)
        assert set(bodies) == set(ALPHABET)  # 24,000 characters: every one shows up

    def test_codes_colliding_with_stored_ones_are_not_counted_and_made_again(
        self, app: Loyalist, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        put_campaign(app)
        put_campaign(app, "older")
        generation.generate(app.db, "older", spec(5, "old"))
        taken = [code for _, code, _, _ in stored(app, "older")]
        real = codes.random_block
        calls: list[int] = []

        def colliding(count: int, length: int) -> bytes:
            calls.append(count)
            if len(calls) > 1:
                return real(count, length)
            # Two stored codes and one repeated: only count - 3 of these are new.
            fresh = real(count - 3, length)
            return "".join(taken[:2]).encode() + fresh[:length] + fresh

        monkeypatch.setattr(codes, "random_block", colliding)
        run = generation.generate(app.db, "spring", spec(40), chunk_size=40)
        rows = stored(app)
        assert calls == [40, 3]
        assert run.added == run.batch.generated == len(rows) == 40
        assert len({code for _, code, _, _ in rows}) == 40
        assert not set(taken) & {code for _, code, _, _ in rows}
        assert len(stored(app, "older")) == 5


class TestInsertCodes:
    """``repository.insert_codes`` on its own: on PostgreSQL a ``COPY``, redone as an insert
    that skips stored codes when one collides (or at once in a crowded space)."""

    @staticmethod
    def insert(app: Loyalist, batch_id: int, block: codes.CodeBlock, space: int) -> int:
        def op(uow: UnitOfWork) -> int:
            return repository.insert_codes(
                uow.session,
                campaign_id=coupons.get_campaign(uow, "spring").id,
                batch_id=batch_id,
                max_uses=None,
                codes=block,
                space=space,
            )

        return app.db.write(op)

    @pytest.mark.parametrize("crowded", [False, True], ids=["copy-first", "crowded-space"])
    def test_codes_already_stored_are_skipped_and_not_counted(
        self, app: Loyalist, crowded: bool
    ) -> None:
        put_campaign(app)
        put_campaign(app, "older", uses_per_code=2)
        generation.generate(app.db, "older", spec(5, "old", length=8))
        older = stored(app, "older")
        taken = [code for _, code, _, _ in older]
        batch_id = start(app, spec(100, length=8))
        fresh = codes.random_bodies(40, 8)
        block = codes.distinct_sorted("".join([*fresh, *taken[:3], fresh[0]]).encode(), 8)
        # A space of the block's size expects collisions once PostgreSQL's row estimate
        # counts the older codes: then no COPY is tried.
        app.db.write(lambda uow: repository.refresh_code_statistics(uow.session))
        space = len(block) if crowded else codes.space(8)

        new = len(set(fresh))
        assert self.insert(app, batch_id, block, space) == new
        rows = stored(app)
        assert sorted(code for _, code, _, _ in rows) == sorted(set(fresh))
        assert {(batch, max_uses, uses) for batch, _, max_uses, uses in rows} == {
            (batch_id, None, 0)
        }
        assert stored(app, "older") == older
        # The unit of work went on after the collision: the same block again adds nothing.
        assert self.insert(app, batch_id, block, space) == 0
        assert len(stored(app)) == new

    def test_a_new_block_is_stored_whole_in_byte_order(self, app: Loyalist) -> None:
        put_campaign(app)
        batch_id = start(app, spec(3_000, prefix="Q7"))
        block = codes.fresh_codes(3_000, codes.CodePattern(prefix="Q7"))
        assert self.insert(app, batch_id, block, codes.space(10)) == len(block)
        ids_in_order = [code for _, code, _, _ in stored(app)]
        assert ids_in_order == block.texts() == sorted(ids_in_order)
        assert all(code.startswith("Q7") and len(code) == 12 for code in ids_in_order)


class TestResume:
    def test_an_interrupted_run_resumes_to_exactly_the_requested_codes(self, app: Loyalist) -> None:
        put_campaign(app)
        wanted = spec(10_000, length=8)
        batch_id = start(app, wanted)
        chunk(app, batch_id, 3_000)
        interrupted = chunk(app, batch_id, 3_000)
        assert (interrupted.inserted, interrupted.batch.generated) == (3_000, 6_000)
        assert interrupted.batch.status == BatchStatus.GENERATING
        before = {code for _, code, _, _ in stored(app)}

        run = generation.generate(app.db, "spring", wanted, chunk_size=3_000)
        rows = stored(app)
        assert (run.created, run.added, run.batch.id) == (False, 4_000, batch_id)
        assert len(rows) == len({code for _, code, _, _ in rows}) == 10_000
        assert before < {code for _, code, _, _ in rows}
        assert batches(app) == [("run-1", 10_000, 10_000, "ready")]

    def test_a_chunk_that_fails_after_writing_leaves_nothing_and_the_run_resumes(
        self, app: Loyalist
    ) -> None:
        put_campaign(app)
        wanted = spec(7_000)
        batch_id = start(app, wanted)
        chunk(app, batch_id, 2_000)

        def crashing(uow: UnitOfWork) -> None:
            written = generation.add_chunk(uow, batch_id, size=2_000)
            assert written.inserted == 2_000  # written, then the process "dies"
            raise RuntimeError("crash after the chunk's rows were written")

        with pytest.raises(RuntimeError, match="crash"):
            app.db.write(crashing)
        assert len(stored(app)) == 2_000
        assert batches(app) == [("run-1", 7_000, 2_000, "generating")]

        run = generation.generate(app.db, "spring", wanted, chunk_size=2_000)
        rows = stored(app)
        assert (run.created, run.added) == (False, 5_000)
        assert len(rows) == len({code for _, code, _, _ in rows}) == 7_000
        assert batches(app) == [("run-1", 7_000, 7_000, "ready")]

    def test_the_same_request_again_adds_nothing(self, app: Loyalist) -> None:
        put_campaign(app)
        first = generation.generate(app.db, "spring", spec(2_000, prefix="X"))
        again = generation.generate(app.db, "spring", spec(2_000, prefix="x"))
        assert (again.created, again.added, again.batch.id) == (False, 0, first.batch.id)
        assert len(stored(app)) == 2_000
        assert batches(app) == [("run-1", 2_000, 2_000, "ready")]

    @pytest.mark.parametrize(
        "other", [{"count": 2_001}, {"length": 11}, {"prefix": "Y"}, {"group": 5}]
    )
    def test_the_same_key_with_other_parameters_is_a_conflict(
        self, app: Loyalist, other: dict[str, Any]
    ) -> None:
        put_campaign(app)
        generation.generate(app.db, "spring", spec(2_000))
        changed = spec(**({"count": 2_000} | other))
        with pytest.raises(ConflictError) as refused:
            generation.generate(app.db, "spring", changed)
        assert refused.value.code == "batch_key_reused"
        assert len(stored(app)) == 2_000

    def test_a_key_names_a_batch_per_campaign(self, app: Loyalist) -> None:
        put_campaign(app)
        put_campaign(app, "autumn")
        generation.generate(app.db, "spring", spec(100))
        run = generation.generate(app.db, "autumn", spec(200, length=12))
        assert (run.created, len(stored(app, "autumn"))) == (True, 200)

    def test_a_chunk_never_writes_past_the_requested_count(self, app: Loyalist) -> None:
        put_campaign(app)
        batch_id = start(app, spec(150))
        first = chunk(app, batch_id, 1_000)
        after = chunk(app, batch_id, 1_000)
        assert (first.inserted, first.batch.status) == (150, BatchStatus.READY)
        assert (after.inserted, after.batch.generated) == (0, 150)
        assert len(stored(app)) == 150

    def test_a_missing_batch_is_not_found(self, app: Loyalist) -> None:
        with pytest.raises(NotFoundError) as missing:
            chunk(app, 404, 10)
        assert missing.value.code == "batch_not_found"


class TestRefusals:
    def test_refuses_a_batch_that_would_fill_more_than_one_percent_of_the_space(
        self, app: Loyalist
    ) -> None:
        put_campaign(app)
        limit = space(6) // 100
        with pytest.raises(InvalidRequestError) as refused:
            start(app, spec(limit + 1, length=6))
        assert refused.value.code == "code_space_too_small"
        assert [e.pointer for e in refused.value.errors] == ["/length"]
        assert batches(app) == []

    def test_counts_codes_already_stored_with_the_same_prefix_and_length(
        self, app: Loyalist
    ) -> None:
        put_campaign(app)
        generation.generate(app.db, "spring", spec(1_000, "first", prefix="ZZ", length=6))
        limit = space(6) // 100
        with pytest.raises(InvalidRequestError) as refused:
            start(app, spec(limit - 999, "full", prefix="ZZ", length=6))
        assert refused.value.code == "code_space_too_small"
        # Creating a batch stores no code yet: these only prove the limit is exact.
        start(app, spec(limit - 1_000, "fits", prefix="ZZ", length=6))
        start(app, spec(limit, "other-prefix", prefix="ZY", length=6))
        assert [key for key, *_ in batches(app)] == ["first", "fits", "other-prefix"]

    def test_refuses_a_campaign_with_one_shared_code(self, app: Loyalist) -> None:
        put_campaign(app, code_mode="generic", code="SPRING26")
        with pytest.raises(InvalidRequestError) as refused:
            generation.generate(app.db, "spring", spec(10))
        assert refused.value.code == "campaign_not_unique"
        assert batches(app) == []

    def test_refuses_an_unknown_campaign(self, app: Loyalist) -> None:
        with pytest.raises(NotFoundError) as missing:
            generation.generate(app.db, "nope", spec(10))
        assert missing.value.code == "campaign_not_found"


class TestValidity:
    def test_codes_of_an_unfinished_batch_are_unknown_until_it_is_ready(
        self, app: Loyalist
    ) -> None:
        put_campaign(app)
        wanted = spec(20, prefix="SP", group=4)
        batch_id = start(app, wanted)
        chunk(app, batch_id, 10)
        (_, code, _, _), *_ = stored(app)
        typed = wanted.pattern().show(code[2:]).lower()  # as a customer types it
        found, refusal = app.db.read(
            lambda uow: validation.find(uow, uow.now, typed, validation.audience_of(uow, None, UTC))
        )
        assert found is None
        assert refusal is not None
        assert refusal.code == "coupon_not_found"
        with pytest.raises(NotFoundError):
            validate(app, typed)

        generation.generate(app.db, "spring", wanted)
        assert validate(app, typed)["discount"] == 500


class TestExport:
    def test_the_csv_holds_the_usable_codes_in_display_form_in_id_order(
        self, app: Loyalist
    ) -> None:
        put_campaign(app, code_valid_days=30)
        put_campaign(app, "other")
        generation.generate(app.db, "spring", spec(2_500, prefix="SP", group=4))
        generation.generate(app.db, "other", spec(50))
        unfinished = start(app, spec(300, "later"))
        chunk(app, unfinished, 100)

        def issue(uow: UnitOfWork) -> str:
            (member_id,) = members.ensure_members(uow, ["M1"]).values()
            campaign = coupons.get_campaign(uow, "spring")
            return coupons.issue_personal(uow, campaign, member_id, source="test:1").code

        personal = app.db.write(issue)
        ready = [code for _, code, _, _ in stored(app)][:2_500]

        text = "".join(
            generation.csv_chunks(
                generation.export_codes(app.db, "spring", page_size=700), rows_per_chunk=600
            )
        )
        rows = list(csv.DictReader(io.StringIO(text)))
        assert text.startswith("code,uses,max_uses,member_id,valid_until\n")
        assert [normalize(row["code"]) for row in rows] == [*ready, personal]
        shape = re.compile(rf"^SP-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{2}}$")
        assert all(shape.match(row["code"]) for row in rows[:-1])
        assert {
            (r["uses"], r["max_uses"], r["member_id"], r["valid_until"]) for r in rows[:-1]
        } == {("0", "1", "", "")}
        until = (START + timedelta(days=30)).isoformat().replace("+00:00", "Z")
        assert rows[-1] == {
            "code": coupons.show(personal),
            "uses": "0",
            "max_uses": "1",
            "member_id": "M1",
            "valid_until": until,
        }

    def test_exports_a_generic_campaigns_shared_code_as_the_shop_wrote_it(
        self, app: Loyalist
    ) -> None:
        put_campaign(app, code_mode="generic", code="spring-26")
        exported = list(generation.export_codes(app.db, "spring"))
        assert exported == [generation.ExportedCode("SPRING26", 0, None, None, None)]

    def test_an_unknown_campaign_fails_before_the_first_row(self, app: Loyalist) -> None:
        with pytest.raises(NotFoundError) as missing:
            generation.export_codes(app.db, "nope")
        assert missing.value.code == "campaign_not_found"
