"""``ledger verify``: recompute every balance and lot from the postings and lot moves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository
from loyalist.ledger.models import Account, Bucket, LotStatus

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

    report.postings, bad = repository.posting_counts(s)
    if bad:
        problem(f"{bad} postings with a non-positive amount or one account on both sides")

    computed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for account, name in _MEMBER.items():
        for side, sign in (("credit", 1), ("debit", -1)):
            for member_id, amount in repository.account_sums(s, account, side):
                computed[member_id][name] += sign * amount
    for member_id, totals in repository.kind_totals(s):
        computed[member_id].update(totals)

    lot_sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    replay: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lot_id, src, dst, amount in repository.lot_move_sums(s):
        replay[lot_id][src] -= amount
        replay[lot_id][dst] += amount
    for lot in repository.all_lots(s):
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
    holds = repository.active_holds_by_member(s)

    for balance in repository.all_balances(s):
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
    missing = set(computed) - repository.balance_member_ids(s)
    for m in sorted(missing)[:10]:
        problem(f"member {m}: postings but no balance row")
    return report
