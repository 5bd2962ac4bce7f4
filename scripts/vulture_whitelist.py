"""Names vulture cannot see used (scripts/check runs ``vulture``; config in pyproject.toml).

Each group says who reads them. Anything else vulture reports is dead: remove it, or move
it to tests/ when only tests use it.
"""
# ruff: noqa
# mypy: ignore-errors

# StrEnum members: values parsed from events, files and settings, and stored.
APP, POS, EMAIL, SMS, CALL, OTHER, PUSH, RU  # channels, locales
IP, DEVICE_ID, PAYMENT_FINGERPRINT, ADDRESS_FINGERPRINT  # referral fraud signals
CLAW_BACK  # settings.ReturnPolicy
COSINE  # recommendations' neighbour ordering
WEBHOOK, DELIVERED  # messages' channels and statuses (webhook sender, provider receipts)
CONSENT_WITHDRAWN, UNLAWFUL_PROCESSING, AUTHORITY_ORDER  # privacy's legal bases (requests)

# Table columns: written by the ORM or the bulk writers (db.bulk, by column name) and read by
# SQL (verification, insights' export), never as attributes.
verified_order_id, removed_at, removal_reason, issued_at, recorded_at
spent, expired, origin_posting_id, matured_at, badges_count
_.removed_at, _.removal_reason, _.badges_count, _.spent, _.expired, _.matured_at

# Fields of the event format (activities.schemas) and of events (what happened, for every
# present and future handler), and of API responses (read by the serializer).
payment_fingerprint, address_fingerprint, external_member_id
extended_at, pending_points, written_off, reversed_at, expired_at, spent_at, adjusted_at
new_members, active_members, revenue, average_order_value, purchase_frequency, repeat_buyers
repeat_purchase_rate, churned_customers, churn_rate, ambassadors, nps_responses
average_rating, points_issued, points_redeemed, points_expired, points_reversed
points_adjusted, liability_points, liability_money, breakage_rate, redemption_rate
cohort_start, has_als, free_shipping
next_before  # privacy.schemas.DestructionRecordPage
is_builtin  # members.schemas.PurposeRead

# A table only SQL reads and triggers write (db.configs, migration 0013); the model puts it in
# the metadata Alembic compares.
ConfigVersion

# Read by name (``attrgetter``): what a rule's CEL context offers of a member.
lifetime_spend

# SQLAlchemy reads these from the dialect and the driver connection it configures; psycopg
# reads ``autocommit`` (set for the PostgreSQL raw reads).
_.use_insertmanyvalues_wo_returning, _.isolation_level, _.autocommit

# The logging module reads these switches when it makes each record (logs.py turns them off).
_.logThreads, _.logProcesses, _.logMultiprocessing

# Public API outside the product's own call graph: the observer hook of the event table
# (docs/decisions.md), the clock test double at the time seam (as httpx ships a mock
# transport), the fitted CLV models returned with the scores and their documented
# formulas (docs/clv.md).
_.subscribe, ManualClock
bgnbd, gamma_gamma, _.expected_purchases_new, _.mean_spend

# coupons/generation.py is being rewritten (issue 14): its entry point for the batch job.
start_or_resume

# CLI commands the top-level table loads by name (cli/app.py, COMMANDS).
demo, init, serve, worker

# messages (issue 15, templates): fields of the template contexts (messages/contexts.py) and
# of the brand kit, read by name by the Jinja templates under messages/templates/; Jinja's
# hooks (NodeTransformer visitors, the sandbox's intercepted operators); and the rendering
# entry points the messages service and API call (render_message's siblings).
closing_balance, days_left, earn, estimated_delivery_on, expires_on, expiring_points
expiring_soon, expiry_months, friend_name, friend_offer, image_url, instructions, link
lower_tier, manage_url, matured_points, matures_on, opening_balance, points_balance
points_cost, points_earned, points_pending, points_spent, portal_url, previous_tier
recommendation, renews_on, requirement, review_on, review_points, review_url, shipment
shop_url, start_on, survey, tier_progress, tips, valid_minutes
legal_address, logo_url, website_url, support_email, primary_colour, text_colour
background_colour
_.visit_For, _.visit_Concat, _.visit_AssignBlock, _.intercepted_binops
check_template
# messages/channels (issue 15, msgchan): the senders and webhook helpers the delivery
# worker, the endpoints API and the inbound SMS route wire (msgcore); until that lands only
# tests use them. Remove each line once its name is used in src/.
Sender, JsonHttpSender, FcmSender, RuStoreSender, TwilioSender, SmsRuSender
_.send, _.provider_id
stop_request, is_from_twilio, html  # Outgoing.html: the e-mail channel (msgcore) reads it
# messages (issue 15, msgwire): API fields pydantic serialises.
failing_since
# Tables other code of the domain writes and reads: messages' stored template versions (the
# template API and renderer, issue 15).
MessageTemplate
# messages (issue 15, msgprefs): API fields pydantic serialises.
is_opt_in
# messages' email channel: the body charset's transfer encoding, read by email.charset.
_.body_encoding
# db/keys (issue 16, crypto): the table of installation keys, read and written by fixed
# statements; members.service.destroy_data_key: erasure (the privacy branch) calls it.
StoredKey
destroy_data_key
# The built-in roles the roles migration (0027) seeds (migrations are not scanned); the
# member as an audit actor (the member portal's acts, issue 18).
BUILTIN_ROLES, MEMBER
# staff (issue 16, accounts): API fields pydantic serialises; the time two factors were
# enrolled (kept for the record, shown by the console later); python-json-logger's hook.
otpauth_uri, qr_svg, totp_enabled_at
_.process_log_record

# messages (issue 17, campaigns): fields of the campaign context read by the campaign
# templates.
expiring, expiring_on

# The campaign report's and the global holdout report's response fields (campaigns.schemas),
# built from the report's dicts and read by the serializer.
conversion_rate, revenue_per_member, relative, p_value_adjusted, incremental_revenue
incremental_profit, correction, measurement_complete, uplift, winner_rule, holdout_percent

# campaigns (issue 17): columns written through row dicts (bulk inserts and updates)
# vulture cannot follow: when a send was done, when an offer was granted.
done_at, granted_at

# web/portal (issue 18, portal core): fields of the portal's view values that its templates
# (web/templates/portal/) read by name.
tier_factor, to_keep

# Fields of the documentation models of API answers (ledger, rewards, referrals, rules,
# privacy and providers schemas): the OpenAPI document and the clients read them.
blocked, checkouts, confirmed_points, coupon_used, destruction_record, eligible, fired
generated_at, is_program_active, is_recorded, is_valid, last_converted_at, member_known
next_after, not_fired, on_hold, outstanding_points, points_before_limits, redeemable
referrer_first_name, rejected, requested_at, rule_version, share_url, stock_left
subscription, survey_answers, system_accounts
# connectors (issue 19): the platforms a connector may be for (values pydantic and the CLI
# read); the platform's own totals a reconciliation keeps for a backfill's report.
SHOPIFY, WOOCOMMERCE, SALEOR
platform_totals
# Fields of the typed answers documented in the OpenAPI document (issue 19): routes answer
# the same keys as plain JSON, so only the schema generator reads the models.
accepted, requested_at, value_per_point, max_discount, applicable, discount_total
available_coupons, discount_given, discount_type, uses_left, usable, is_completed
points_to_go
_.model_parametrized_name  # pydantic names Items[X] "XList" in the document
# campaigns (issue 18): whether an audience estimate is exact, in the answer (the console's
# template and the clients read it; the estimate sets it by keyword).
is_exact
