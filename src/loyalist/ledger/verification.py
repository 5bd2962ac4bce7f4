"""``ledger verify``: recompute every balance and lot from the postings and lot moves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from loyalist.db.uow import UnitOfWork
from loyalist.ledger.models import (
    Account,
    Bucket,
    Hold,
    HoldStatus,
    Lot,
    LotMove,
    LotStatus,
    MemberPoints,
    Posting,
    PostingKind,
)

_MEMBER = {Account.AVAILABLE: "available", Account.PENDING: "pending", Account.HELD: "held"}


@dataclass
class VerificationReport:
    members: int = 0
    lots: int = 0
    postings: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_ledger(uow: UnitOfWork, *, max_problems: int = 100) -> VerificationReport:
    """Check, for every member and lot:

    - each posting moves a positive amount between two different accounts;
    - cached balances (available, pending, held) equal the sums of the postings;
    - the lifetime counters equal the postings of their kind (``expired``: the balance of the
      expired account, which a return after expiry debits);
    - each lot's buckets equal its amount replayed through its moves, none negative;
    - pending = unspent pending lots, held = held in lots = active holds,
      available = unspent available lots − debt, and debt only with no unspent points.
    """
    s = uow.session
    report = VerificationReport()
    problems = report.problems

    def problem(text: str) -> None:
        if len(problems) < max_problems:
            problems.append(text)

    report.postings = s.scalar(select(func.count()).select_from(Posting)) or 0
    bad = s.scalar(
        select(func.count()).where(
            (Posting.amount <= 0) | (Posting.debit_account == Posting.credit_account)
        )
    )
    if bad:
        problem(f"{bad} postings with a non-positive amount or one account on both sides")

    computed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for account, name in _MEMBER.items():
        for column, sign in ((Posting.credit_account, 1), (Posting.debit_account, -1)):
            rows = s.execute(
                select(Posting.member_id, func.sum(Posting.amount))
                .where(column == account)
                .group_by(Posting.member_id)
            )
            for member_id, amount in rows:
                computed[member_id][name] += sign * int(amount)
    kind_sum = {
        "earned": func.sum(case((Posting.kind == PostingKind.EARN, Posting.amount), else_=0)),
        "spent": func.sum(
            case(
                (Posting.kind.in_([PostingKind.SPEND, PostingKind.CONFIRM]), Posting.amount),
                (Posting.kind == PostingKind.REFUND, -Posting.amount),
                else_=0,
            )
        ),
        # A return after expiry moves expired points on to ``reversed``.
        "expired": func.sum(
            case(
                (Posting.credit_account == Account.EXPIRED, Posting.amount),
                (Posting.debit_account == Account.EXPIRED, -Posting.amount),
                else_=0,
            )
        ),
        "reversed": func.sum(case((Posting.kind == PostingKind.REVERSE, Posting.amount), else_=0)),
        "adjusted": func.sum(
            case(
                (
                    (Posting.kind == PostingKind.ADJUST)
                    & (Posting.credit_account == Account.AVAILABLE),
                    Posting.amount,
                ),
                (Posting.kind == PostingKind.ADJUST, -Posting.amount),
                else_=0,
            )
        ),
    }
    for row in s.execute(
        select(Posting.member_id, *[expr.label(name) for name, expr in kind_sum.items()]).group_by(
            Posting.member_id
        )
    ):
        for name in kind_sum:
            computed[row.member_id][name] = int(getattr(row, name))

    lot_sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    replay: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lot_id, src, dst, amount in s.execute(
        select(
            LotMove.lot_id, LotMove.from_bucket, LotMove.to_bucket, func.sum(LotMove.amount)
        ).group_by(LotMove.lot_id, LotMove.from_bucket, LotMove.to_bucket)
    ):
        replay[lot_id][src] -= int(amount)
        replay[lot_id][dst] += int(amount)
    for lot in s.scalars(select(Lot).order_by(Lot.id)).yield_per(2000):
        report.lots += 1
        expected = {b.value: replay[lot.id][b.value] for b in Bucket}
        expected[Bucket.REMAINING.value] += lot.amount
        for bucket, value in expected.items():
            if getattr(lot, bucket) != value:
                problem(f"lot {lot.id}: {bucket} is {getattr(lot, bucket)}, moves give {value}")
            if value < 0:
                problem(f"lot {lot.id}: {bucket} below zero ({value})")
        sums = lot_sums[lot.member_id]
        if lot.status == LotStatus.PENDING:
            sums["pending"] += lot.remaining
        elif lot.status == LotStatus.AVAILABLE:
            sums["available"] += lot.remaining
        elif lot.remaining:
            problem(f"lot {lot.id}: {lot.status} but {lot.remaining} points remain")
        sums["held"] += lot.held
    holds: dict[int, int] = defaultdict(int)
    for member_id, amount in s.execute(
        select(Hold.member_id, func.sum(Hold.amount))
        .where(Hold.status == HoldStatus.ACTIVE)
        .group_by(Hold.member_id)
    ):
        holds[member_id] = int(amount)

    for balance in s.scalars(select(MemberPoints).order_by(MemberPoints.member_id)).yield_per(2000):
        report.members += 1
        m = balance.member_id
        want = computed.get(m, {})
        for name in (
            "available",
            "pending",
            "held",
            "earned",
            "spent",
            "expired",
            "reversed",
            "adjusted",
        ):
            if getattr(balance, name) != want.get(name, 0):
                problem(
                    f"member {m}: {name} is {getattr(balance, name)}, postings give "
                    f"{want.get(name, 0)}"
                )
        lots = lot_sums.get(m, {})
        if balance.pending != lots.get("pending", 0):
            problem(
                f"member {m}: pending {balance.pending} ≠ pending lots {lots.get('pending', 0)}"
            )
        if balance.held != lots.get("held", 0) or balance.held != holds.get(m, 0):
            problem(
                f"member {m}: held {balance.held}, lots hold {lots.get('held', 0)}, "
                f"active holds {holds.get(m, 0)}"
            )
        if balance.available != lots.get("available", 0) - balance.debt:
            problem(
                f"member {m}: available {balance.available} ≠ available lots "
                f"{lots.get('available', 0)} − debt {balance.debt}"
            )
        if balance.debt and lots.get("available", 0):
            problem(f"member {m}: debt {balance.debt} while unspent points remain")
    missing = set(computed) - {mid for mid in s.scalars(select(MemberPoints.member_id))}
    for m in sorted(missing)[:10]:
        problem(f"member {m}: postings but no balance row")
    return report
