"""The composition root: settings, keys, database, the event table and the due work.

Facts flow down one table (:func:`event_handlers`): a domain emits typed events from its
``events.py`` through the unit of work, and each handler receives only its own event type,
in batches, inside the same transaction. See docs/architecture.md (generated from this
table by a test).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from loyalist import metrics
from loyalist.clock import Clock, SystemClock
from loyalist.db import keys
from loyalist.db.base import Base
from loyalist.db.crypto import Keyring, active_keyring, use_keyring
from loyalist.db.database import Database
from loyalist.db.engine import Timeouts
from loyalist.db.errors import database_fault
from loyalist.db.uow import UnitOfWork
from loyalist.errors import KeyMissingError
from loyalist.settings import ProgramPolicy, Settings

if TYPE_CHECKING:
    from loyalist.recommendations.policy import RecommendationSettings
    from loyalist.recommendations.schemas import RefreshReport

log = logging.getLogger(__name__)

#: The newest migration (``tests/unit/test_migrations_head.py`` checks it is Alembic's
#: head): commands compare the database with it without loading Alembic.
SCHEMA_HEAD: Final = "0055"

#: The due job that reads uploaded files of events (its records count as ingested).
_IMPORTING: Final = "events_imported"

#: A rotation step's cursor once its last chunk is done.
_DONE: Final = object()

#: A reaction: the unit of work, a run of events of one type, the program's policy.
Handler = Callable[[UnitOfWork, Sequence[Any], ProgramPolicy], None]
EventTable = dict[type, tuple[Handler, ...]]


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


def event_handlers(settings: Settings) -> EventTable:
    """Which domain reacts to which event, in the order the reactions run (``settings``
    give the messages' journeys their links and brand kit).

    Order matters where a comment says so (``test_event_table`` checks those places); every
    event type any domain emits has a row, also when nothing reacts to it yet. Domains are
    imported here, on first dispatch, so commands that never write do not load them.
    """
    from loyalist.activities.events import (
        ActivityRecorded,
        OrderAbandoned,
        OrderCancelled,
        OrderDelivered,
        OrderPaid,
        OrderReturned,
        OrderShipped,
    )
    from loyalist.campaigns import handlers as campaigns
    from loyalist.checkout import handlers as checkout
    from loyalist.gamification import handlers as gamification
    from loyalist.gamification.events import BadgeAwarded, QuestCompleted, StreakExtended
    from loyalist.ledger import handlers as ledger
    from loyalist.ledger.events import (
        PointsAdjusted,
        PointsAwarded,
        PointsExpired,
        PointsExpiring,
        PointsMatured,
        PointsRefunded,
        PointsReversed,
        PointsSpent,
    )
    from loyalist.messages.handlers import MessageHandlers
    from loyalist.referrals import handlers as referrals
    from loyalist.referrals.events import ReferralAttributed, ReferralConverted
    from loyalist.rewards import handlers as rewards
    from loyalist.rules import handlers as rules
    from loyalist.rules.events import BadgeGranted, RewardGranted
    from loyalist.staff.events import TwoFactorLockedOut
    from loyalist.tiers import handlers as tiers
    from loyalist.tiers.events import TierDowngraded, TierUpgraded

    messages = MessageHandlers(settings)
    return {
        # -- what happened to orders (activities) -----------------------------------------
        # Rules decide a paid order's points at the tier the member had before it, so they
        # run before tiers record the order; gamification reads tiers and points, so it
        # runs after them; messages (journeys) once every domain has reacted; campaigns'
        # attribution last (it only reads the facts).
        OrderPaid: (
            rules.on_order_paid,
            tiers.on_order_paid,
            checkout.on_order_paid,
            referrals.on_order_paid,
            gamification.on_order_paid,
            messages.on_order_paid,
            campaigns.on_order_paid,
        ),
        # The thank-you for a delivery shows when the order's points mature: after the ledger.
        OrderShipped: (messages.on_order_shipped,),
        OrderDelivered: (
            ledger.on_order_delivered,
            referrals.on_order_delivered,
            messages.on_order_delivered,
        ),
        OrderReturned: (
            ledger.on_order_returned,
            rules.on_order_returned,
            tiers.on_order_returned,
            checkout.on_order_returned,
            referrals.on_order_returned,
            gamification.on_order_returned,
        ),
        OrderCancelled: (
            ledger.on_order_cancelled,
            rules.on_order_cancelled,
            tiers.on_order_cancelled,
            checkout.on_order_cancelled,
            referrals.on_order_cancelled,
            gamification.on_order_cancelled,
        ),
        OrderAbandoned: (checkout.on_order_abandoned,),
        # -- what else members did (activities) -------------------------------------------
        # A paid plan changes the tier before the rules of the same activity run; messages
        # (the welcome) after the others, then campaigns' attribution.
        ActivityRecorded: (
            tiers.on_activity_recorded,
            ledger.on_activity_recorded,
            rules.on_activity_recorded,
            referrals.on_activity_recorded,
            gamification.on_activity_recorded,
            messages.on_activity_recorded,
            campaigns.on_activity_recorded,
        ),
        # -- points that moved (ledger) ---------------------------------------------------
        # Messages note an order's points for its confirmation, queued later in the unit.
        PointsAwarded: (tiers.on_points_awarded, messages.on_points_awarded),
        PointsMatured: (messages.on_points_matured,),
        PointsReversed: (),
        PointsExpired: (),
        PointsExpiring: (messages.on_points_expiring,),
        PointsSpent: (),
        PointsRefunded: (),
        PointsAdjusted: (),
        # -- tiers ------------------------------------------------------------------------
        TierUpgraded: (messages.on_tier_upgraded,),
        TierDowngraded: (messages.on_tier_downgraded,),
        # -- what fired rules grant besides points (rules) --------------------------------
        BadgeGranted: (gamification.on_badge_granted,),
        RewardGranted: (rewards.on_reward_granted, messages.on_reward_granted),
        # -- referrals --------------------------------------------------------------------
        ReferralAttributed: (gamification.on_referral_attributed, messages.on_referral_attributed),
        ReferralConverted: (gamification.on_referral_converted, messages.on_referral_converted),
        # -- gamification -----------------------------------------------------------------
        BadgeAwarded: (),
        QuestCompleted: (),
        StreakExtended: (),
        # -- staff ------------------------------------------------------------------------
        TwoFactorLockedOut: (messages.on_two_factor_locked_out,),
    }


#: One pass of due work: ``(db, program, limit) -> work done`` (0 when nothing was due).
JobRun = Callable[[Database, ProgramPolicy, int], int]


@dataclass(frozen=True, slots=True)
class DueJob:
    name: str
    run: JobRun


@dataclass(frozen=True, slots=True)
class JobReport:
    """What one pass of due work did, by job name, and which jobs failed."""

    done: dict[str, int]
    failed: tuple[str, ...] = ()

    @property
    def did_work(self) -> bool:
        return any(self.done.values())


def in_unit(step: Callable[..., int]) -> JobRun:
    """A job whose pass is one unit of work: ``step(uow, program, limit=limit)``."""

    def run(db: Database, program: ProgramPolicy, limit: int) -> int:
        return db.write(lambda uow: step(uow, program, limit=limit))

    return run


def due_jobs(settings: Settings) -> tuple[DueJob, ...]:
    """Every domain's due work, in the order a worker pass runs it (``settings`` give the
    message channels their providers).

    Most jobs do one bounded pass in one unit of work (``in_unit``); the heavy, read-mostly
    ones (daily scores, recommendations) read on a reader connection and write their
    results in short units of their own, so the SQLite writer is never held for long.
    """
    from loyalist.activities import jobs as activities
    from loyalist.audit import jobs as audit
    from loyalist.campaigns import jobs as campaigns
    from loyalist.checkout import jobs as checkout
    from loyalist.gamification import backfill as gamification_backfill
    from loyalist.gamification import jobs as gamification
    from loyalist.insights import jobs as insights
    from loyalist.ledger import jobs as ledger
    from loyalist.members import jobs as members
    from loyalist.messages import jobs as messages
    from loyalist.operations import jobs as operations
    from loyalist.privacy import jobs as privacy
    from loyalist.recommendations import jobs as recommendations
    from loyalist.referrals import jobs as referrals
    from loyalist.rewards import jobs as rewards
    from loyalist.rules import jobs as rules
    from loyalist.staff import jobs as staff
    from loyalist.tiers import jobs as tiers

    return (
        # The worker's heartbeat before any work (readiness reads it): never work itself.
        DueJob("worker_heartbeat", operations.beat),
        # Uploaded files of events first: the jobs below work on what they bring.
        DueJob("events_imported", activities.run_imports),
        DueJob("holds_timed_out", in_unit(ledger.time_out_holds)),
        DueJob("points_matured", in_unit(ledger.mature_points)),
        DueJob("points_expired", in_unit(ledger.expire_points)),
        DueJob("expiry_announced", in_unit(ledger.announce_expiring)),
        DueJob("birthdays", in_unit(rules.award_birthdays)),
        DueJob("tier_reviews", in_unit(tiers.run_tier_reviews)),
        DueJob("reward_refunds", in_unit(rewards.refund_expired)),
        DueJob("checkouts_timed_out", in_unit(checkout.time_out_due)),
        DueJob("referrals_converted", in_unit(referrals.run_due)),
        DueJob("badges_swept", in_unit(gamification.sweep_badges)),
        DueJob("statistics_backfilled", in_unit(gamification_backfill.run_due)),
        # Time-driven journeys after the jobs whose results they read (the birthday gift
        # after the rules' birthdays), messages after the jobs that queue them.
        *(DueJob(name, run) for name, run in messages.time_driven(settings)),
        # Campaigns' audiences and due sends, a chunk per short unit (their messages are
        # delivered by the job below in the same pass).
        DueJob("campaigns_broadcast", campaigns.broadcaster(settings)),
        DueJob("messages_delivered", messages.deliverer(settings)),
        DueJob("staff_messages_delivered", messages.staff_deliverer(settings)),
        DueJob("staff_sessions_forgotten", in_unit(staff.forget_expired_sessions)),
        DueJob("member_sessions_forgotten", in_unit(members.forget_expired_sessions)),
        # A campaign's winner, judged once its last goal window closed.
        DueJob("campaign_winners", campaigns.judge_winners),
        DueJob("recommendations", recommendations.run_due),
        DueJob("insights_scores", insights.run_due),
        DueJob("insights_dashboards", insights.refresh_dashboards),
        DueJob("audit_retention", in_unit(audit.retention(settings.audit.retention_days))),
        # Retention last: it erases members the jobs above may still have had work for.
        DueJob("privacy_retention", privacy.run_retention),
    )


@dataclass(frozen=True, slots=True)
class RotationStep:
    """One kind of sealed data ``loyalist keys rotate`` brings under the active master key:
    how many rows still need it, and a chunk of the work (``chunk(uow, after, limit)``
    does up to ``limit`` rows past the cursor ``after`` and returns the next cursor, None
    when none is left, and the rows it changed)."""

    name: str
    count: Callable[[UnitOfWork], int]
    chunk: Callable[[UnitOfWork, Any, int], tuple[Any, int]]
    start: Any = None


def _index_key_step(uow: UnitOfWork, _after: Any, _limit: int) -> tuple[Any, int]:
    return None, keys.rewrap_index_key(uow, active_keyring())


def _index_key_count(uow: UnitOfWork) -> int:
    wrapped = keys.wrapped_index_key(uow)
    return int(wrapped is not None and not active_keyring().is_current(wrapped))


def rotation_steps() -> tuple[RotationStep, ...]:
    """What key rotation does, in order: the index key first (lookups never break), then
    members' data keys and profiles, their devices, consents' evidence, messages and stored
    events; then what the master key itself seals: webhook endpoints' secrets, the staff
    outbox, staff users' emails and TOTP secrets, connectors' secrets. The member steps also
    move values still in the format before envelope encryption (sealed by a master key)
    under the member's own key."""
    from loyalist.activities import sealing as activities
    from loyalist.connectors import sealing as connectors
    from loyalist.members import keys as members
    from loyalist.members.models import CONSENT_CHANGE_IP, CONSENT_IP
    from loyalist.messages import sealing as messages
    from loyalist.staff import sealing as staff

    return (
        RotationStep("index key", _index_key_count, _index_key_step),
        RotationStep("member keys and profiles", members.count_to_reseal, members.reseal, 0),
        RotationStep("push devices", members.count_devices_to_reseal, members.reseal_devices, ""),
        RotationStep(
            "consents' evidence",
            partial(members.count_consent_ips_to_reseal, CONSENT_IP),
            partial(members.reseal_consent_ips, CONSENT_IP),
            (0, ""),
        ),
        RotationStep(
            "consent trail",
            partial(members.count_consent_ips_to_reseal, CONSENT_CHANGE_IP),
            partial(members.reseal_consent_ips, CONSENT_CHANGE_IP),
            (0, ""),
        ),
        RotationStep("messages", messages.count_to_reseal, messages.reseal, (0, "")),
        RotationStep("stored events", activities.count_to_reseal, activities.reseal, 0),
        RotationStep(
            "webhook secrets",
            messages.count_secrets_to_reseal,
            lambda uow, _after, _limit: (None, messages.reseal_secrets(uow)),
        ),
        RotationStep(
            "staff messages",
            messages.count_staff_messages_to_reseal,
            messages.reseal_staff_messages,
            "",
        ),
        RotationStep("staff users", staff.count_to_reseal, staff.reseal, 0),
        RotationStep("connector secrets", connectors.count_to_reseal, connectors.reseal, ""),
    )


def waves(events: Sequence[Any]) -> Iterator[dict[type, list[Any]]]:
    """The events of a unit in waves, each wave holding at most one event per member (the
    member's events in the order they were raised), split by type in order of first
    appearance. Events that name no member all go in the first wave.

    So every handler sees a member's events one at a time, and all reactions to one of
    them (including events they raise) are done before the member's next event: the
    outcome does not depend on how events are batched. Different members' events of one
    wave are handled type by type, in batches.
    """
    grouped: list[dict[type, list[Any]]] = []
    seen: dict[int, int] = {}
    for event in events:
        member = getattr(event, "member_id", None)
        index = 0
        if member is not None:
            index = seen.get(member, 0)
            seen[member] = index + 1
        if index == len(grouped):
            grouped.append({})
        grouped[index].setdefault(type(event), []).append(event)
    yield from grouped


@dataclass
class Loyalist:
    """One configured application: what entry points (API, CLI, worker) run against."""

    settings: Settings
    clock: Clock
    keyring: Keyring
    db: Database = field(init=False)
    _table: EventTable | None = field(default=None, init=False, repr=False)
    _jobs: tuple[DueJob, ...] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.db = Database(
            self.settings.effective_database_url,
            self.clock,
            dispatch=self.dispatch,
            batch_size=self.settings.writer_batch_size,
            linger_ms=self.settings.writer_linger_ms,
            timeouts=Timeouts(
                connect_seconds=self.settings.db.connect_timeout_seconds,
                statement_seconds=self.settings.db.statement_timeout_seconds,
                lock_seconds=self.settings.db.lock_timeout_seconds,
                pool_seconds=self.settings.db.pool_timeout_seconds,
                analysis_statement_seconds=self.settings.db.analysis_statement_timeout_seconds,
            ),
            read_url=self.settings.database_read_url,
        )

    @property
    def program(self) -> ProgramPolicy:
        return self.settings.program

    @property
    def handlers(self) -> EventTable:
        if self._table is None:
            self._table = event_handlers(self.settings)
        return self._table

    def subscribe(self, event_types: Sequence[type], handler: Handler) -> None:
        """Also run ``handler`` for these event types, after the table's handlers: for
        observers (tests, extensions), never for the product's own reactions."""
        table = self.handlers
        for event_type in event_types:
            table[event_type] = (*table[event_type], handler)

    def dispatch(self, uow: UnitOfWork) -> None:
        """Run the handlers of the events a unit raised, in the same transaction, wave by
        wave (see :func:`waves`). Events a handler raises are handled before the next
        handler runs.

        Raises:
            KeyError: an event type has no row in the event table (a programming error).
        """
        if not uow.events:
            return
        table = self.handlers
        events, uow.events = uow.events, []
        by_type: dict[type, list[Any]] = {}
        for event in events:
            by_type.setdefault(type(event), []).append(event)
        with uow.dispatching(by_type):
            for wave in waves(events):
                for kind, run in wave.items():
                    for handler in table[kind]:
                        handler(uow, run, self.program)
                        if uow.events:
                            self.dispatch(uow)

    def prepare(self) -> None:
        """Import every domain now (the event table and the jobs), not on first use."""
        _ = self.handlers, self.jobs

    @property
    def jobs(self) -> tuple[DueJob, ...]:
        if self._jobs is None:
            self._jobs = due_jobs(self.settings)
        return self._jobs

    def run_due_work(
        self, *, limit: int = 200, stopping: Callable[[], bool] | None = None
    ) -> JobReport:
        """One pass of every due job (see :func:`due_jobs`), each in its own units of work;
        a job that fails is logged and reported, the others still run. Call until
        ``did_work`` is false. Never call it inside a unit of work. Once ``stopping()`` is
        true (a shutdown), the pass ends after the job it is in: no job is cut short."""
        done: dict[str, int] = {}
        failed: list[str] = []
        for job in self.jobs:
            if stopping is not None and stopping():
                break
            metrics.JOB_RUNS.labels(job.name).inc()
            try:
                done[job.name] = job.run(self.db, self.program, limit)
            except Exception as exc:
                fault = database_fault(exc)
                if fault is None:
                    log.exception("due job %s failed; the other jobs still run", job.name)
                else:  # one line per incident (``Outage``), not a traceback per job and pass
                    self.db.outage.noticed(fault, answered=False)
                metrics.JOB_FAILURES.labels(job.name).inc()
                done[job.name] = 0
                failed.append(job.name)
            if done[job.name]:
                metrics.JOB_ITEMS.labels(job.name).inc(done[job.name])
        if done.get(_IMPORTING):
            metrics.INGESTED.labels("import").inc(done[_IMPORTING])
        return JobReport(done, tuple(failed))

    def recompute_scores(self, *, progress: Callable[[int, str], None] | None = None) -> int:
        """Recompute every member's scores and segments now, due or not (the daily
        ``insights_scores`` job's work; it counts as the day's run). Returns the members
        scored; ``progress(done, step)`` follows the steps. Never call it inside a unit of
        work."""
        from loyalist.insights import jobs as insights

        return insights.run_now(self.db, self.program, progress=progress)

    def rotate_keys(
        self, *, chunk_size: int = 500, progress: Callable[[str, int, int], None] | None = None
    ) -> dict[str, int]:
        """Bring everything sealed or wrapped under another master key (and every value
        still sealed by a master key rather than its member's key) under the active one,
        step by step (:func:`rotation_steps`), ``chunk_size`` rows per unit of work, each
        committed. Interrupted, a second run continues with what is left (what is done no
        longer matches its queries). ``progress(step, done, total)`` follows each chunk.
        Returns the rows changed per step. Never call it inside a unit of work.

        Raises:
            MasterKeyMissingError: something is under a master key that is not in the keyring.
        """
        changed: dict[str, int] = {}
        for step in rotation_steps():
            total = self.db.read(step.count)
            done = 0
            if progress is not None:
                progress(step.name, 0, total)
            cursor = step.start
            while total and cursor is not _DONE:

                def chunk(uow: UnitOfWork, after: Any = cursor, run: RotationStep = step) -> Any:
                    return run.chunk(uow, after, chunk_size)

                found, count = self.db.write(chunk)
                cursor = _DONE if found is None else found
                done += count
                if progress is not None:
                    progress(step.name, done, max(total, done))
            changed[step.name] = done
        return changed

    def refresh_recommendations(
        self, settings: RecommendationSettings, *, progress: Callable[[str], None] | None = None
    ) -> RefreshReport:
        """Refresh the recommendation models now, due or not (the ``recommendations``
        job's work); ``progress(stage)`` names the stages. Never call it inside a unit of
        work."""
        from loyalist.recommendations import jobs as recommendations

        return recommendations.refresh(self.db, settings, progress=progress)

    def close(self) -> None:
        self.db.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    keyring: Keyring | None = None,
) -> Loyalist:
    settings = settings or Settings()
    keyring = keyring or load_keyring(settings)
    use_keyring(keyring)
    app = Loyalist(settings=settings, clock=clock or SystemClock(), keyring=keyring)
    keyring.bind_index_key(lambda: app.db.read(keys.wrapped_index_key))
    return app


#: The first revision with ``crypto_keys``, where ``migrate`` stores the index key.
_KEYS_SINCE = "0033"


def migrate(app: Loyalist, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` with Alembic; from 0033 on, store the
    blind-index key (wrapped by the master key) unless it is stored already."""
    from alembic import command

    config = alembic_config(
        app.settings.effective_database_url,
        connect_timeout_seconds=app.settings.db.connect_timeout_seconds,
    )
    command.upgrade(config, revision)
    if (app.db.schema_revision() or "") >= _KEYS_SINCE:
        app.db.write(lambda uow: keys.store_index_key(uow, app.keyring))


def schema_revisions(app: Loyalist) -> tuple[str | None, str | None]:
    """``(current, head)`` Alembic revisions of the database and of this code (one query,
    without loading Alembic: every command starts with this check).

    Raises:
        OperationalError: the database cannot be reached.
    """
    return app.db.schema_revision(), SCHEMA_HEAD


def alembic_config(url: str, *, connect_timeout_seconds: int = 0) -> Any:
    """Alembic's configuration for ``url``; on PostgreSQL the migrations' connection gives
    up after ``connect_timeout_seconds`` (0: libpq's default, no limit). No statement
    limit: a migration may rewrite a large table."""
    from alembic.config import Config

    root = Path(__file__).resolve().parent
    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connect_timeout_seconds"] = connect_timeout_seconds
    return config


def metadata() -> Any:
    """All tables of every domain (what Alembic compares against)."""
    import loyalist.activities.models
    import loyalist.audit.models
    import loyalist.campaigns.models
    import loyalist.checkout.models
    import loyalist.connectors.models
    import loyalist.coupons.models
    import loyalist.db.configs
    import loyalist.db.idempotency
    import loyalist.db.keys
    import loyalist.gamification.models
    import loyalist.insights.models
    import loyalist.ledger.models
    import loyalist.members.models
    import loyalist.messages.models
    import loyalist.operations.models
    import loyalist.privacy.models
    import loyalist.recommendations.models
    import loyalist.referrals.models
    import loyalist.rewards.models
    import loyalist.rules.models
    import loyalist.staff.models
    import loyalist.tiers.models  # noqa: F401

    return Base.metadata
