"""Process settings from the environment (``LOYALIST_*``) and the program's ledger policy."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExpiryKind(StrEnum):
    """How long available points live."""

    NEVER = "never"
    DAYS_AFTER_AVAILABLE = "days_after_available"
    END_OF_MONTH = "end_of_month"


class NegativeBalancePolicy(StrEnum):
    """What a return does when the points it reverses were already spent."""

    ALLOW_DEBT = "allow_debt"
    CLAW_BACK = "claw_back"


class ExpiryPolicy(BaseModel):
    """``never``; ``days_after_available`` with ``days``; ``end_of_month`` ``months`` later."""

    kind: ExpiryKind = ExpiryKind.END_OF_MONTH
    days: int = Field(default=365, ge=1)
    months: int = Field(default=12, ge=0)


class PointsPayment(BaseModel):
    """Points as part of payment at checkout: ``point_value`` (or ``values`` per currency)
    converts points to money; the rest are the limits a quote enforces."""

    enabled: bool = True
    values: dict[str, Decimal] = Field(
        default_factory=dict,
        description="Whole currency units one point pays for, per cart currency; the "
        "program's `currency` falls back to `point_value`.",
    )
    min_points: int = Field(default=1, ge=1, description="The fewest points one checkout uses.")
    max_share: Decimal = Field(
        default=Decimal("0.5"),
        gt=0,
        le=1,
        description="The largest part of the order (after coupons) points may pay.",
    )
    include_shipping: bool = Field(
        default=False, description="Whether points may pay for shipping too."
    )
    step: int = Field(default=1, ge=1, description="Points are used in multiples of this.")
    refund_on_return: bool = Field(
        default=True,
        description="A return re-credits the points spent on the order, in proportion.",
    )

    @field_validator("values")
    @classmethod
    def _positive(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if any(v <= 0 for v in value.values()):
            raise ValueError("point values must be positive")
        return {code.upper(): v for code, v in value.items()}


class FrequencyCap(BaseModel):
    """The most marketing messages one member gets on one channel per local day and week."""

    per_day: int = Field(default=1, ge=0)
    per_week: int = Field(default=5, ge=0)


def _default_caps() -> dict[str, FrequencyCap]:
    return {
        "email": FrequencyCap(per_day=1, per_week=5),
        "sms": FrequencyCap(per_day=1, per_week=2),
        "push": FrequencyCap(per_day=2, per_week=10),
    }


class MessagePolicy(BaseModel):
    """When marketing may reach a member, how often, and which facts are fresh enough to
    start a journey (docs/messages.md)."""

    quiet_hours_start: time = Field(
        default=time(21, 0),
        description="Marketing due from this local time in the member's zone is held.",
    )
    quiet_hours_end: time = Field(
        default=time(9, 0),
        description="Held marketing is released at this local time; equal to the start: "
        "no quiet hours.",
    )
    caps: dict[str, FrequencyCap] = Field(
        default_factory=_default_caps,
        description="Marketing per channel per member's local day and ISO week; over it a "
        "message is recorded `capped`. Channels not listed are not capped.",
    )
    freshness_hours: int = Field(
        default=24,
        ge=0,
        description="Facts older than this start no journey (imports and backfills are "
        "silent); they are counted as skipped.",
    )
    max_attempts: int = Field(
        default=8, ge=1, le=50, description="Sends of one message before it is `failed`."
    )
    webhook_disable_after_hours: int = Field(
        default=120,
        ge=1,
        description="A webhook endpoint failing without a success for this long is "
        "disabled (a 410 Gone disables it at once); enabling it again replays what it "
        "missed.",
    )
    require_transfer_consent: bool = Field(
        default=False,
        description="Marketing goes through a channel's processor (the SMTP, SMS or push "
        "provider named by its `processor` setting) only to members who consented to "
        "`transfer.<processor>`. Off by default: most shops entrust their providers under a "
        "processing agreement (152-FZ art. 6(3), GDPR art. 28), which needs no consent of "
        "its own (docs/privacy.md).",
    )


class PrivacyPolicy(BaseModel):
    """How long personal data is kept (docs/privacy.md); ``None``: kept until erased on
    request. The retention job (``privacy_retention``) applies both, a chunk per unit."""

    inactive_after_days: int | None = Field(
        default=None,
        ge=1,
        description="A member without a sign of life for this long (no event from the shop, "
        "no profile change, no redemption or checkout) is erased as on request, with the "
        "ground `retention_expired`: personal data destroyed, unspent points closed; the "
        "shop's id may come back as a new member.",
    )
    order_references_days: int | None = Field(
        default=None,
        ge=1,
        description="An order whose last fact is older than this (the accounting period, "
        "e.g. 5 years = 1827 days) keeps its amounts and dates, but its shop order id "
        "becomes opaque everywhere (ledger, tiers, coupons, checkouts, referrals, reviews) "
        "and its lines and stored events' data are dropped.",
    )


class CampaignPolicy(BaseModel):
    """``LOYALIST_PROGRAM__CAMPAIGNS__*``: the program's global holdout and when a campaign's
    variant is declared the winner."""

    global_holdout_percent: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=50,
        description="members (a stable hash of their id) who are enrolled but get no "
        "marketing at all, so the shop sees what marketing adds; 0: none",
    )
    winner_min_members: int = Field(
        default=1_000, ge=10, description="members per arm before a winner may be declared"
    )
    winner_alpha: Decimal = Field(
        default=Decimal("0.05"),
        gt=0,
        lt=Decimal("0.5"),
        description="significance threshold of a winner (corrected for several variants)",
    )


class ProgramPolicy(BaseModel):
    """The ledger policy of the loyalty program (the rules engine replaces ``base_rates``)."""

    timezone: str = "UTC"
    default_locale: str = Field(
        default="en",
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
        description="Messages to a member whose language has no templates use this one "
        "(then English).",
    )
    base_rates: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "EUR": Decimal(1),
            "USD": Decimal(1),
            "GBP": Decimal(1),
            "RUB": Decimal("0.01"),
        },
        description="Points per whole currency unit of the paid amount, shipping excluded.",
    )
    currency: str = Field(
        default="EUR", pattern=r"^[A-Z]{3}$", description="The program's reporting currency."
    )
    point_value: Decimal = Field(
        default=Decimal("0.01"),
        ge=0,
        description="What one point is worth when redeemed, in whole units of `currency` "
        "(cost and liability in money).",
    )
    return_window_days: int = Field(default=30, ge=0)
    undelivered_maturity_days: int = Field(
        default=60,
        ge=0,
        description="Pending points of an order never reported delivered mature this many days "
        "after payment plus the return window.",
    )
    expiry: ExpiryPolicy = Field(default_factory=ExpiryPolicy)
    expiry_notice_days: int = Field(
        default=30,
        ge=0,
        le=366,
        description="Available points are announced as expiring (`PointsExpiring`, once per "
        "lot) this many days before their expiry; 0 announces nothing.",
    )
    negative_balance: NegativeBalancePolicy = NegativeBalancePolicy.ALLOW_DEBT
    hold_timeout_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    adjustment_approval_threshold: int = Field(
        default=10_000,
        ge=0,
        description="A manual points adjustment larger than this (either way) is booked only "
        "when a second person with `points.approve` approves it (maker-checker).",
    )
    points_payment: PointsPayment = Field(default_factory=PointsPayment)
    messages: MessagePolicy = Field(default_factory=MessagePolicy)
    privacy: PrivacyPolicy = Field(default_factory=PrivacyPolicy)
    campaigns: CampaignPolicy = Field(default_factory=CampaignPolicy)

    def point_value_in(self, currency: str) -> Decimal | None:
        """Whole units of ``currency`` one point pays for; None when points cannot pay in it."""
        found = self.points_payment.values.get(currency)
        if found is not None:
            return found
        return self.point_value if currency == self.currency and self.point_value > 0 else None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("base_rates")
    @classmethod
    def _upper_currency(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for rate in value.values():
            if rate < 0:
                raise ValueError("base rates must not be negative")
        return {code.upper(): rate for code, rate in value.items()}

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class CouponGuard(BaseModel):
    """Limits on coupon attempts (validate, redeem, quote, hold), in the `limits` package's
    notation (``10/minute``, ``20 per 10 minutes``). Failures are codes that do not exist,
    are used up, expired or inactive: what guessing produces. Counters live in ``storage``
    (``memory://`` counts per process)."""

    storage: str = "memory://"
    failures_per_key: str = "200/minute"
    failures_per_member: str = "10 per 10 minutes"
    attempts_per_member: str = "60/minute"


class RevealSettings(BaseModel):
    """How often one caller (API key or staff user) may reveal a member's personal field
    (``POST /api/v1/members/{id}/reveal``), in the `limits` package's notation; counters
    live in ``storage`` (``memory://`` counts per process)."""

    storage: str = "memory://"
    per_caller: str = "30/hour"


class AuditSettings(BaseModel):
    """The audit trail: ``retention_days`` > 0 deletes rows older than that many days (a
    daily-ish job, from the front of the hash chain); 0 keeps every row."""

    retention_days: int = Field(default=0, ge=0, le=36_500)


#: A processor's code: what ``transfer.<code>`` names.
PROCESSOR_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,47}$"


def _processor(description: str) -> Any:
    return Field(default="", pattern=f"^$|{PROCESSOR_PATTERN}", description=description)


class SmtpSecurity(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


class SmtpSettings(BaseModel):
    """The SMTP server email leaves through (``LOYALIST_SMTP__*``); no host: email is
    recorded ``not_configured``."""

    host: str = ""
    port: int = Field(default=0, ge=0, le=65535, description="0: 465 for ssl, else 587/25")
    username: str = ""
    password: SecretStr = SecretStr("")
    security: SmtpSecurity = SmtpSecurity.NONE
    timeout_seconds: float = Field(default=10.0, gt=0)
    processor: str = _processor(
        "the processor behind the SMTP host when a service sends the email for you (e.g. "
        "`unisender`); empty: the operator's own server"
    )

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {SmtpSecurity.SSL: 465, SmtpSecurity.STARTTLS: 587}.get(self.security, 25)


class BrandSettings(BaseModel):
    """The brand kit every email carries (``LOYALIST_MESSAGES__BRAND__*``): checked when the
    application starts (colours ``#rgb``/``#rrggbb``, links http(s))."""

    shop_name: str = Field(default="Loyalist", min_length=1)
    legal_address: str = Field(default="", description="the footer's postal address")
    logo_url: str | None = None
    website_url: str | None = None
    support_email: str | None = None
    primary_colour: str = "#1f6feb"
    text_colour: str = "#1f2328"
    background_colour: str = "#f3f4f6"


class MessageSettings(BaseModel):
    """Where messages come from and link to (``LOYALIST_MESSAGES__FROM``, ``__BASE_URL``,
    ``__BRAND__*``)."""

    model_config = ConfigDict(populate_by_name=True)

    sender: str = Field(
        default="Loyalist <loyalty@localhost>",
        alias="from",
        description='the From of every email, e.g. "Shop <loyalty@shop.example>"',
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="public URL of this server (unsubscribe and survey links)",
    )
    brand: BrandSettings = Field(default_factory=BrandSettings)
    product_url: str | None = Field(
        default=None,
        description="the shop's product page, {sku} standing for the product "
        "(e.g. https://shop.example/p/{sku}); recommendations in messages link there",
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="admit webhook endpoints on loopback and private networks",
    )
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    parallel_sends: int = Field(
        default=4,
        ge=1,
        le=32,
        description="messages a worker sends at once (threads; SMTP connections kept open)",
    )

    @model_validator(mode="after")
    def _http_base(self) -> MessageSettings:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("messages base_url must be an http(s) URL")
        self.base_url = self.base_url.rstrip("/")
        if self.product_url is not None and (
            not self.product_url.startswith(("http://", "https://"))
            or "{sku}" not in self.product_url
        ):
            raise ValueError("messages product_url must be an http(s) URL with {sku} in it")
        return self


class SmsProvider(StrEnum):
    NONE = "none"
    TWILIO = "twilio"
    SMSRU = "smsru"
    GENERIC = "generic"


class SmsSettings(BaseModel):
    """The SMS provider (``LOYALIST_SMS__*``); ``none``: SMS is recorded ``not_configured``.

    Twilio: ``account_sid``, ``auth_token`` (it also checks the STOP replies' signature),
    ``from_number`` or ``messaging_service_sid``. SMS.ru: ``api_id``, ``sender``, ``test``.
    Generic JSON over HTTP: ``url`` and ``headers`` (the auth), body ``{"to", "text"}``.
    ``url`` also replaces Twilio's or SMS.ru's base URL (a test server, a regional edge).
    """

    provider: SmsProvider = SmsProvider.NONE
    account_sid: str = ""
    auth_token: SecretStr = SecretStr("")
    from_number: str = ""
    messaging_service_sid: str = ""
    api_id: SecretStr = SecretStr("")
    sender: str = ""
    test: bool = False
    url: str = ""
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    processor: str = _processor(
        "the processor SMS goes through; empty: the provider (`twilio`, `smsru`), none for "
        "`generic`"
    )


class PushProvider(StrEnum):
    NONE = "none"
    FCM = "fcm"
    RUSTORE = "rustore"
    GENERIC = "generic"


class PushSettings(BaseModel):
    """The push provider (``LOYALIST_PUSH__*``); ``none``: push is recorded
    ``not_configured``. FCM HTTP v1 and RuStore: ``project_id`` and ``token`` (an OAuth
    access token for FCM, the project's service token for RuStore). Generic JSON over
    HTTP: ``url`` and ``headers``, body ``{"to", "title", "body", "data"}``. ``url`` also
    replaces FCM's or RuStore's base URL."""

    provider: PushProvider = PushProvider.NONE
    project_id: str = ""
    token: SecretStr = SecretStr("")
    url: str = ""
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    processor: str = _processor(
        "the processor push goes through; empty: the provider (`fcm`, `rustore`), none for "
        "`generic`"
    )


class InboundSettings(BaseModel):
    """Credentials email providers post their events with (``LOYALIST_INBOUND__*``): HTTP
    basic auth, user ``username`` and the provider's password, put in the webhook URL
    (``https://loyalist:<password>@host/api/v1/providers/ses/events``; SNS and Postmark
    both support it). An empty password leaves that provider's route closed."""

    username: str = Field(default="loyalist", min_length=1)
    ses_password: SecretStr = SecretStr("")
    postmark_password: SecretStr = SecretStr("")


class StaffSettings(BaseModel):
    """Staff sign-in (``LOYALIST_STAFF__*``): the session cookie, timeouts, password hashing
    (argon2id), sign-in throttling (the `limits` package's notation, counted in
    ``throttle_storage``) and the two-factor lockout."""

    cookie_secure: bool = Field(
        default=True,
        description="the session cookie is Secure and named __Host-loyalist_session; false "
        "only for plain-HTTP development on loopback (the cookie is then loyalist_session)",
    )
    idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    absolute_hours: int = Field(default=12, ge=1, le=30 * 24)
    password_time_cost: int = Field(default=1, ge=1, le=10)
    password_memory_kib: int = Field(default=47_104, ge=8_192, le=1_048_576)
    password_parallelism: int = Field(default=1, ge=1, le=8)
    throttle_storage: str = "memory://"
    failures_per_account: str = "5 per 15 minutes"
    failures_per_ip: str = "30 per 15 minutes"
    two_factor_max_failures: int = Field(default=5, ge=1, le=100)
    two_factor_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    two_factor_issuer: str = Field(default="Loyalist", min_length=1, max_length=60)


class PortalSettings(BaseModel):
    """The member portal (``LOYALIST_PORTAL__*``): the secret the shop signs its links to
    the portal and the widget with, the sites that may frame the widget, the member
    session's timeouts and the magic link's lifetime. The session cookie is Secure when
    the staff cookie is (``LOYALIST_STAFF__COOKIE_SECURE``)."""

    link_secret: SecretStr = Field(
        default=SecretStr(""),
        description="HMAC-SHA256 key of the shop's signed links (/portal/enter, "
        "/portal/widget); empty: signed links are refused (docs/portal.md)",
    )
    link_max_minutes: int = Field(
        default=24 * 60,
        ge=1,
        le=30 * 24 * 60,
        description="the furthest ahead a signed link's expiry may lie",
    )
    widget_origins: list[str] = Field(
        default_factory=list,
        description="the shop's origins (https://shop.example) that may show the widget in "
        "a frame; empty: no site may",
    )
    idle_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    absolute_hours: int = Field(default=24 * 14, ge=1, le=90 * 24)
    sign_in_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="how long an emailed sign-in link works"
    )
    sign_ins_per_email: str = Field(
        default="3 per 15 minutes", description="sign-in emails one address may ask for"
    )
    sign_ins_per_ip: str = Field(
        default="20 per 15 minutes", description="sign-in emails one client address may ask for"
    )

    @field_validator("widget_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not origin.startswith(("http://", "https://")) or origin.rstrip("/").count("/") > 2:
                raise ValueError(f"{origin!r} is not an origin (scheme://host[:port])")
        return [origin.rstrip("/") for origin in value]


class ApiSettings(BaseModel):
    """The HTTP API (``LOYALIST_API__*``)."""

    docs: bool = Field(
        default=True,
        description="serve /docs, /redoc and /openapi.json (switch off in production)",
    )
    problem_base: str = Field(
        default="",
        description="where a problem's `type` URI points: this base + its code (e.g. "
        "https://api.shop.example/problems/); empty: this server's /problems/ as the request "
        "reached it",
    )

    @field_validator("problem_base")
    @classmethod
    def _problem_base(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value if not value or value.endswith("/") else value + "/"


class DatabaseTimeouts(BaseModel):
    """How long a process waits on its database (``LOYALIST_DB__*``), so that a stopped
    or frozen database answers ``503 database_unavailable`` quickly instead of holding
    requests for as long as it is gone. 0 switches a limit off."""

    connect_timeout_seconds: int = Field(
        default=5, ge=1, le=300, description="a new connection's TCP connect and sign-in"
    )
    statement_timeout_seconds: float = Field(
        default=60.0,
        ge=0,
        le=86_400,
        description="the longest one statement may run (PostgreSQL `statement_timeout`); "
        "the heavy read-only work of jobs and CLI commands sets its own",
    )
    lock_timeout_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3_600,
        description="the longest a statement waits for a row or table lock (PostgreSQL "
        "`lock_timeout`; SQLite's `busy_timeout` for the database lock)",
    )
    pool_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="the longest a request waits for a pooled connection",
    )
    retry_after_seconds: int = Field(
        default=5, ge=1, le=3_600, description="what a 503 answer's Retry-After says"
    )
    analysis_statement_timeout_seconds: float = Field(
        default=0,
        ge=0,
        le=86_400,
        description="the longest one statement of heavy read-only work may run (exports, "
        "reports, the daily scores, dashboards and recommendations reads, on "
        "`LOYALIST_DATABASE_READ_URL` or the database itself); 0: no limit",
    )


class MetricsSettings(BaseModel):
    """``/metrics`` in the Prometheus text format (``LOYALIST_METRICS__*``)."""

    enabled: bool = Field(default=True, description="serve /metrics; false: 404")
    token: SecretStr = Field(
        default=SecretStr(""),
        description="when set, /metrics asks for `Authorization: Bearer <token>` (401 "
        "without it); empty: open to whoever reaches the port",
    )


class TracingSettings(BaseModel):
    """OpenTelemetry tracing (``LOYALIST_TRACING__*``): off by default; on, requests and SQL
    statements become spans exported by OTLP to the collector the standard
    ``OTEL_EXPORTER_OTLP_*`` variables name."""

    enabled: bool = False
    service_name: str = Field(default="loyalist", min_length=1)


class Settings(BaseSettings):
    """Everything a process needs to start; read once by ``bootstrap``."""

    model_config = SettingsConfigDict(env_prefix="LOYALIST_", env_nested_delimiter="__")

    home: Path = Path(".loyalist")
    database_url: str = ""
    database_read_url: str = Field(
        default="",
        description="a replica heavy read-only work (exports, KPI reports, recommendation "
        "refresh, the scores job) reads from; empty: the database itself",
    )
    db: DatabaseTimeouts = Field(default_factory=DatabaseTimeouts)
    secret_key: str = ""
    program: ProgramPolicy = Field(default_factory=ProgramPolicy)
    embedded_worker: bool = True
    worker_interval_seconds: float = 5.0
    writer_batch_size: int = 100
    writer_linger_ms: float = 0.0
    log_level: str = "info"
    log_requests: bool = Field(
        default=True, description="one JSON log line per HTTP request (LOYALIST_LOG_REQUESTS)"
    )
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    tracing: TracingSettings = Field(default_factory=TracingSettings)
    coupon_guard: CouponGuard = Field(default_factory=CouponGuard)
    reveal: RevealSettings = Field(default_factory=RevealSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    messages: MessageSettings = Field(default_factory=MessageSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    push: PushSettings = Field(default_factory=PushSettings)
    inbound: InboundSettings = Field(default_factory=InboundSettings)
    staff: StaffSettings = Field(default_factory=StaffSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    portal: PortalSettings = Field(default_factory=PortalSettings)
    worker_stale_seconds: float = Field(
        default=120.0,
        gt=0,
        description="/readyz fails when no worker started a pass for this long "
        "(LOYALIST_WORKER_STALE_SECONDS)",
    )
    shutdown_grace_seconds: float = Field(
        default=30.0,
        gt=0,
        description="on SIGTERM, how long `loyalist serve` lets requests in flight finish "
        "before it cancels them (LOYALIST_SHUTDOWN_GRACE_SECONDS)",
    )

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'loyalist.db').as_posix()}"

    @property
    def key_file(self) -> Path:
        return self.home / "secret.key"
