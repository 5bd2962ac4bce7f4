"""The composition root: settings, keys, database, and which domain reacts to which event."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from loyalist.activities.events import (
    ActivityRecorded,
    OrderAbandoned,
    OrderCancelled,
    OrderDelivered,
    OrderPaid,
    OrderReturned,
)
from loyalist.checkout import handlers as checkout_handlers
from loyalist.checkout import service as checkout_service
from loyalist.clock import Clock, SystemClock
from loyalist.coupons import service as coupons_service
from loyalist.db.base import Base
from loyalist.db.crypto import Keyring, use_keyring
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import handlers as gamification_handlers
from loyalist.gamification import jobs as gamification_jobs
from loyalist.insights import jobs as insights_jobs
from loyalist.ledger import jobs as ledger_jobs
from loyalist.ledger.jobs import JobReport
from loyalist.recommendations import jobs as recommendations_jobs
from loyalist.referrals import handlers as referrals_handlers
from loyalist.referrals import jobs as referrals_jobs
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.rewards import expiry as rewards_expiry
from loyalist.rewards import handlers as rewards_handlers
from loyalist.rules import service as rules_service
from loyalist.rules.events import BadgeGranted, CouponGranted, RewardGranted
from loyalist.settings import ProgramPolicy, Settings
from loyalist.tiers.jobs import run_tier_reviews

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, list[Any]], None]


class KeyMissingError(RuntimeError):
    """No secret key in ``LOYALIST_SECRET_KEY`` nor a key file: run ``loyalist init``."""


def load_keyring(settings: Settings) -> Keyring:
    retired = [k for k in os.environ.get("LOYALIST_RETIRED_KEYS", "").split(",") if k.strip()]
    if settings.secret_key:
        return Keyring.from_secrets(settings.secret_key, *retired)
    if settings.key_file.exists():
        return Keyring.from_secrets(settings.key_file.read_text(), *retired)
    raise KeyMissingError(
        f"no secret key: set LOYALIST_SECRET_KEY or run `loyalist init` to create "
        f"{settings.key_file}"
    )


@dataclass
class Loyalist:
    """One configured application: what entry points (API, CLI, worker) run against."""

    settings: Settings
    clock: Clock
    db: Database = field(init=False)
    handlers: dict[type, tuple[Handler, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.db = Database(
            self.settings.effective_database_url,
            self.clock,
            dispatch=self.dispatch,
            batch_size=self.settings.writer_batch_size,
            linger_ms=self.settings.writer_linger_ms,
        )

    @property
    def program(self) -> ProgramPolicy:
        return self.settings.program

    def subscribe(self, event_types: tuple[type, ...], handler: Handler) -> None:
        """``handler`` runs for these event types, after the handlers subscribed before it."""
        for event_type in event_types:
            self.handlers[event_type] = (*self.handlers.get(event_type, ()), handler)

    def dispatch(self, uow: UnitOfWork) -> None:
        """Run the handlers of the events a unit raised, in the same transaction.

        Consecutive events with the same handlers go to each as one list (batch paths stay
        fast); their relative order is kept, so a return is never applied before its order.
        Events a handler raises are dispatched after the current round.
        """
        while uow.events:
            events, uow.events = uow.events, []
            for handlers, run in groupby(events, key=lambda ev: self.handlers.get(type(ev), ())):
                batch = list(run)
                for handler in handlers:
                    handler(uow, batch)

    def run_due_work(self, uow: UnitOfWork, *, limit: int = 200) -> JobReport:
        """One pass of every domain's due work (ledger maturity, expiry and hold time-outs,
        birthday rules, tier reviews); call until ``did_work`` is false."""
        report = ledger_jobs.run_due_work(uow, self.program, limit=limit)
        report.other["birthdays"] = rules_service.award_birthdays(uow, self.program, limit=limit)
        reviews = run_tier_reviews(uow, uow.now, self.program.zone, limit=limit)
        report.other["tier_reviews"] = reviews.members
        report.other["reward_refunds"] = rewards_expiry.refund_expired(
            uow, self.program, limit=limit
        )
        report.other["checkouts_timed_out"] = checkout_service.time_out_due(uow, limit=limit)
        report.other["referrals_converted"] = referrals_jobs.run_due(uow, self.program, limit=limit)
        report.other["badges_swept"] = gamification_jobs.sweep_badges(
            uow, self.program, limit=limit
        )
        report.other["recommendations"] = recommendations_jobs.run_due(
            uow, self.program, limit=limit
        )
        report.other["insights_scores"] = insights_jobs.run_due(uow, self.program, now=uow.now)
        return report

    def close(self) -> None:
        self.db.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    keyring: Keyring | None = None,
) -> Loyalist:
    settings = settings or Settings()
    use_keyring(keyring or load_keyring(settings))
    app = Loyalist(settings=settings, clock=clock or SystemClock())
    program = settings.program

    def facts(uow: UnitOfWork, run: list[Any]) -> None:
        earning = [f for f in run if not isinstance(f, OrderAbandoned)]
        if earning:
            rules_service.apply_facts(uow, earning, program)

    def checkouts(uow: UnitOfWork, run: list[Any]) -> None:
        checkout_handlers.on_order_facts(uow, run, program)

    def granted_coupons(uow: UnitOfWork, run: list[Any]) -> None:
        coupons_service.issue_granted(
            uow, [(g.member_id, g.campaign, f"rule:{g.rule_key}:{g.ref}") for g in run]
        )

    # The same handlers for every order fact, so a batch of mixed facts stays one run.
    order_facts = (
        OrderPaid,
        OrderDelivered,
        OrderReturned,
        OrderCancelled,
        OrderAbandoned,
        ActivityRecorded,
    )
    app.subscribe(order_facts, facts)
    app.subscribe(order_facts, checkouts)

    def referrals(uow: UnitOfWork, run: list[Any]) -> None:
        referrals_handlers.on_facts(uow, run, program)

    def gamification(uow: UnitOfWork, run: list[Any]) -> None:
        gamification_handlers.on_facts(uow, run, program)

    app.subscribe(order_facts, referrals)
    app.subscribe(order_facts, gamification)
    app.subscribe((CouponGranted,), granted_coupons)

    def granted_rewards(uow: UnitOfWork, run: list[Any]) -> None:
        rewards_handlers.grant_rule_rewards(uow, run, program)

    app.subscribe((RewardGranted,), granted_rewards)

    def referral_moments(uow: UnitOfWork, run: list[Any]) -> None:
        gamification_handlers.on_referrals(uow, run, program)

    def granted_badges(uow: UnitOfWork, run: list[Any]) -> None:
        gamification_handlers.on_badges_granted(uow, run, program)

    app.subscribe((ReferralAttributed, ReferralConverted), referral_moments)
    app.subscribe((BadgeGranted,), granted_badges)
    return app


def migrate(app: Loyalist, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` with Alembic."""
    from alembic import command

    command.upgrade(alembic_config(app.settings.effective_database_url), revision)


def schema_revisions(app: Loyalist) -> tuple[str | None, str | None]:
    """``(current, head)`` Alembic revisions of the database and of this code."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(
        alembic_config(app.settings.effective_database_url)
    ).get_current_head()
    with app.db.read_engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    root = Path(__file__).resolve().parent
    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def metadata() -> Any:
    """All tables of every domain (what Alembic compares against)."""
    import loyalist.activities.models
    import loyalist.checkout.models
    import loyalist.coupons.models
    import loyalist.db.idempotency
    import loyalist.gamification.models
    import loyalist.insights.models
    import loyalist.ledger.models
    import loyalist.members.models
    import loyalist.recommendations.models
    import loyalist.referrals.models
    import loyalist.rewards.models
    import loyalist.rules.models
    import loyalist.staff.models
    import loyalist.tiers.models  # noqa: F401

    return Base.metadata
