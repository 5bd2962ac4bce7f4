"""Campaign messages on a real database and a real SMTP server: the shipped ``campaign``
template in both languages, a campaign's own content (stored versions, plain text made
HTML in the brand layout), the quiet-hours bypass, the global holdout, the member's
"offers" topic, and stopping a cancelled campaign's messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.members.policy import in_global_holdout
from loyalist.messages import editing, preferences
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey, campaign_template_key
from loyalist.messages.errors import (
    TemplatePartsInvalidError,
    TemplateSyntaxInvalidError,
    TemplateVariableUndefinedError,
)
from loyalist.messages.models import MessageChannel, MessageKind, Topic
from loyalist.messages.rendering import TemplateSource
from loyalist.messages.samples import sample_context
from loyalist.settings import CampaignPolicy, ProgramPolicy
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import (
    enrol,
    mail_app,
    marketing_draft,
    messages_of,
    pay_order,
    queue,
)
from tests.smtp import SmtpSink


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


def campaign_draft(
    member_id: int,
    natural_key: str = "black-friday:main",
    *,
    template_key: str = TemplateKey.CAMPAIGN.value,
    locale: str = "en",
    respects_quiet_hours: bool = True,
    context: dict[str, Any] | None = None,
) -> messages.MessageDraft:
    return messages.MessageDraft(
        member_id=member_id,
        kind=MessageKind.MARKETING,
        channel=MessageChannel.EMAIL,
        journey=messages.CAMPAIGN_JOURNEY,
        natural_key=natural_key,
        template_key=template_key,
        locale=locale,
        time_zone="UTC",
        context=context or sample_context(TemplateKey.CAMPAIGN, locale),
        respects_quiet_hours=respects_quiet_hours,
    )


def put_content(app: Loyalist, key: str, pointer: str = "", **locales: TemplateSource) -> int:
    return app.db.write(
        lambda uow: messages.put_campaign_content(uow, key, locales, "staff:ann", pointer=pointer)
    )


def bodies(received: Any) -> tuple[str, str]:
    text, html = (received.get_body((kind,)) for kind in ("plain", "html"))
    assert text is not None
    assert html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


class TestTheShippedTemplate:
    def test_an_offer_email_in_english_and_russian_reaches_the_smtp_server(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        anna = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        olga = enrol(app, "M2", email="olga@example.com", marketing_email=True, locale="ru")
        queue(app, campaign_draft(anna), campaign_draft(olga, locale="ru"))

        run_jobs(app)

        by_to = {m["To"]: m for m in sink.received}
        en, ru = by_to["anna@example.com"], by_to["olga@example.com"]
        assert en["Subject"] == "Black Friday: 15% off your favourite coffee"
        assert ru["Subject"] == "Чёрная пятница: скидка 15% на ваш любимый кофе"
        assert en["List-Unsubscribe"] is not None  # marketing
        text, html = bodies(en)
        assert "Your personal code (15% off coffee): BF26-K7Q2M" in text
        assert "The offer ends on November 30, 2026" in text
        assert "1,250\u00a0points; 300\u00a0points expire on December 31" in text
        assert "BF26-K7Q2M</span>" in html
        assert "Unsubscribe" in html
        text, html = bodies(ru)
        assert "Ваш личный промокод (скидка 15% на кофе): BF26-K7Q2M" in text
        assert "31 декабря сгорят 300\u00a0баллов" in text
        assert "Мы подобрали для вас" in html
        assert "Отписаться от рассылки" in html
        assert {m.status for m in messages_of(app, "M1") + messages_of(app, "M2")} == {"sent"}


class TestCampaignContent:
    def test_a_plain_text_body_is_sent_as_escaped_paragraphs_with_links_in_the_brand_layout(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        key = campaign_template_key("black-friday", "main")
        body = (
            "Hi {{ member.first_name }},\n\n"
            "Your code {{ offer.coupon.code }} works until {{ campaign.ends_at|date }}.\n"
            "Shop: {{ shop_url }}/sale."
        )
        source = TemplateSource(subject="{{ campaign.name }} for you", text=body)
        put_content(app, key, en=source, ru=replace(source, subject="{{ campaign.name }}"))
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        context = sample_context(TemplateKey.CAMPAIGN, "en")
        context["member"] = {**context["member"], "first_name": "<b>Anna</b>"}
        queue(app, campaign_draft(member, template_key=key, context=context))

        run_jobs(app)

        [received] = sink.received
        assert received["Subject"] == "Black Friday for you"
        text, html = bodies(received)
        assert "Hi <b>Anna</b>,\n\nYour code BF26-K7Q2M works until November 30." in text
        assert ">Hi &lt;b&gt;Anna&lt;/b&gt;,</p>" in html
        assert (
            '>Your code BF26-K7Q2M works until November 30.<br>\nShop: <a href="'
            'https://shop.example/sale" style="color: #1f6feb;">https://shop.example/sale</a>.</p>'
        ) in html
        assert "<b>Anna</b>" not in html
        [message] = messages_of(app, "M1")
        assert (message.template_key, message.template_version) == (key, 1)

    def test_html_when_given_is_used_as_is_and_the_text_part_is_made_from_it(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        key = campaign_template_key("black-friday", "main", "b")
        html = '<h1>Deal</h1><p class="lead">Code <strong>{{ offer.coupon.code }}</strong></p>'
        source = TemplateSource(subject="Deal", html=html, short="Code {{ offer.coupon.code }}")
        put_content(app, key, en=source, ru=source)
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        queue(app, campaign_draft(member, template_key=key))

        run_jobs(app)

        [received] = sink.received
        text, sent_html = bodies(received)
        assert "<strong>BF26-K7Q2M</strong>" in sent_html
        assert text.startswith("Deal\n\nCode BF26-K7Q2M\n")

    def test_a_new_version_is_stored_only_when_the_content_differs(self, app: Loyalist) -> None:
        key = campaign_template_key("spring", "main")
        en = TemplateSource(subject="Spring", text="Hello {{ member.first_name }}")
        ru = TemplateSource(subject="Весна", text="Здравствуйте, {{ member.first_name }}")

        assert put_content(app, key, en=en, ru=ru) == 2
        assert put_content(app, key, en=en, ru=ru) == 0
        assert put_content(app, key, en=replace(en, subject="Spring!"), ru=ru) == 1

        versions = app.db.read(
            lambda uow: messages.live_template_versions(uow, {(key, "en"), (key, "ru")})
        )
        assert versions == {(key, "en"): 2, (key, "ru"): 1}
        sources = app.db.read(lambda uow: messages.template_sources(uow, {(key, "en", 2)}))
        assert sources[(key, "en", 2)].subject == "Spring!"

    def test_a_version_stored_in_a_unit_is_live_for_the_rest_of_that_unit(
        self, app: Loyalist
    ) -> None:
        key = campaign_template_key("spring", "main")
        source = TemplateSource(subject="Spring", text="Hello")

        def op(uow: UnitOfWork) -> list[dict[tuple[str, str], int]]:
            seen = [messages.live_template_versions(uow, {(key, "en")})]
            messages.put_campaign_content(uow, key, {"en": source, "ru": source}, "staff:ann")
            seen.append(messages.live_template_versions(uow, {(key, "en")}))
            return seen

        assert app.db.write(op) == [{(key, "en"): 0}, {(key, "en"): 1}]

    def test_a_version_rolled_back_with_its_savepoint_is_not_live_after_it(
        self, app: Loyalist
    ) -> None:
        key = campaign_template_key("spring", "main")
        source = TemplateSource(subject="Spring", text="Hello")

        def op(uow: UnitOfWork) -> list[dict[tuple[str, str], int]]:
            seen = []
            savepoint = uow.session.begin_nested()  # as a unit of a group commit runs
            messages.put_campaign_content(uow, key, {"en": source, "ru": source}, "staff:ann")
            seen.append(messages.live_template_versions(uow, {(key, "en")}))
            savepoint.rollback()
            seen.append(messages.live_template_versions(uow, {(key, "en")}))
            return seen

        assert app.db.write(op) == [{(key, "en"): 1}, {(key, "en"): 0}]

    def test_broken_content_is_refused_with_a_pointer_per_problem_and_nothing_stored(
        self, app: Loyalist
    ) -> None:
        key = campaign_template_key("spring", "main", "a")
        good = TemplateSource(subject="Spring", text="Hello")
        broken = TemplateSource(subject="Весна", text="Привет {% if %}")

        with pytest.raises(TemplateSyntaxInvalidError) as syntax:
            put_content(app, key, "/variants/0/content", en=good, ru=broken)
        assert [e.pointer for e in syntax.value.errors] == ["/variants/0/content/body/ru"]

        unknown = TemplateSource(subject="{{ campaign.nope.deeper }}", text="Hello")
        with pytest.raises(TemplateVariableUndefinedError) as undefined:
            put_content(app, key, en=unknown, ru=broken)
        assert [e.pointer for e in undefined.value.errors] == ["/subject/en", "/body/ru"]

        with pytest.raises(TemplatePartsInvalidError) as parts:
            put_content(app, key, en=good, ru=TemplateSource(subject="Пусто"))
        assert [e.pointer for e in parts.value.errors] == ["/body/ru"]

        with pytest.raises(TemplatePartsInvalidError) as missing:
            put_content(app, key, en=good)
        assert [e.pointer for e in missing.value.errors] == ["/subject/ru"]

        versions = app.db.read(lambda uow: messages.live_template_versions(uow, {(key, "en")}))
        assert versions == {(key, "en"): 0}

    def test_stored_campaign_content_stays_out_of_the_templates_section(
        self, app: Loyalist
    ) -> None:
        source = TemplateSource(subject="Spring", text="Hello")
        put_content(app, campaign_template_key("spring", "main"), en=source, ru=source)

        assert app.db.read(editing.export_templates) == {}
        listed = {item.key for item in app.db.read(editing.list_templates)}
        assert "campaign" in listed
        assert not any(key.startswith("campaign:") for key in listed)

    def test_a_key_that_is_no_campaigns_is_refused(self, app: Loyalist) -> None:
        source = TemplateSource(subject="x", text="y")
        with pytest.raises(ValueError, match="not a campaign"):
            put_content(app, "win_back", en=source, ru=source)


class TestQuietHours:
    def test_only_a_campaign_that_does_not_respect_them_is_sent_at_night(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        clock.set(datetime(2026, 1, 15, 23, 0, tzinfo=UTC))
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        queue(
            app,
            campaign_draft(member, "flash:main", respects_quiet_hours=False),
            campaign_draft(member, "gentle:main"),
        )

        run_jobs(app)

        by_key = {m.natural_key: m for m in messages_of(app, "M1")}
        assert by_key["flash:main"].status == "sent"
        assert by_key["gentle:main"].status == "held"
        assert len(sink.received) == 1

    def test_consent_still_applies_without_quiet_hours(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        clock.set(datetime(2026, 1, 15, 23, 0, tzinfo=UTC))
        member = enrol(app, "M1", email="anna@example.com")
        queue(app, campaign_draft(member, respects_quiet_hours=False))

        run_jobs(app)

        [message] = messages_of(app, "M1")
        assert (message.status, message.reason) == (
            "suppressed",
            "no marketing consent for the channel",
        )
        assert sink.received == []


class TestTopic:
    def test_a_member_who_switched_off_offers_gets_no_campaign(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        app.db.write(
            lambda uow: preferences.update_preferences(
                uow, member, channels={}, topics={Topic.OFFERS: False}, source="test"
            )
        )
        queue(app, campaign_draft(member))

        run_jobs(app)

        [message] = messages_of(app, "M1")
        assert (message.status, message.reason) == (
            "suppressed",
            "the member switched off the topic offers",
        )
        assert sink.received == []


class TestGlobalHoldout:
    def test_marketing_is_suppressed_for_held_out_members_but_transactional_is_sent(
        self, db_url: str, clock: ManualClock, sink: SmtpSink
    ) -> None:
        percent = Decimal(30)
        program = ProgramPolicy(campaigns=CampaignPolicy(global_holdout_percent=percent))
        app = mail_app(db_url, clock, program, sink.port)
        try:
            ids: dict[int, str] = {}
            for i in range(1, 60):  # until both sides have a member (p < 1e-9 of not)
                ids[enrol(app, f"M{i}", email=f"m{i}@example.com", marketing_email=True)] = f"M{i}"
                sides = {in_global_holdout(member_id, percent) for member_id in ids}
                if sides == {True, False}:
                    break
            held = next(i for i in ids if in_global_holdout(i, percent))
            outside = next(i for i in ids if not in_global_holdout(i, percent))
            queue(
                app,
                campaign_draft(held),
                marketing_draft(held, "journey-offer"),
                campaign_draft(outside),
            )
            pay_order(app, ids[held], "A-1", START)

            run_jobs(app)

            got = {(m.journey, m.status, m.reason) for m in messages_of(app, ids[held])}
            assert got == {
                ("campaign", "suppressed", "global_holdout"),
                ("test_offer", "suppressed", "global_holdout"),
                ("order_confirmation", "sent", None),
            }
            assert {m.status for m in messages_of(app, ids[outside])} == {"sent"}
            assert sorted(m["To"] for m in sink.received) == sorted(
                [f"{ids[held].lower()}@example.com", f"{ids[outside].lower()}@example.com"]
            )
        finally:
            app.close()


class TestStoppingACampaign:
    def test_waiting_messages_of_the_campaign_only_are_suppressed(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        members = [
            enrol(app, f"M{i}", email=f"m{i}@example.com", marketing_email=True) for i in (1, 2)
        ]
        queue(app, campaign_draft(members[0], "b_f:main"))
        run_jobs(app)  # sent before the cancel
        clock.set(datetime(2026, 1, 15, 23, 0, tzinfo=UTC))
        later = datetime(2026, 1, 20, 10, 0, tzinfo=UTC)
        queue(
            app,
            *(campaign_draft(m, "b_f:last_day") for m in members),
            replace(campaign_draft(members[1], "b_f:main"), due_at=later),
            campaign_draft(members[0], "bxf:main"),  # "_" is no wildcard
            campaign_draft(members[0], "b_f2:main"),  # another campaign
        )
        run_jobs(app)  # night: held for quiet hours
        assert len(sink.received) == 1

        stopped = app.db.write(lambda uow: messages.stop_campaign_messages(uow, "b_f"))

        assert stopped == 3
        found = {
            (m.member_id, m.natural_key): (m.status, m.reason)
            for member in ("M1", "M2")
            for m in messages_of(app, member)
        }
        assert found == {
            ("M1", "b_f:main"): ("sent", None),
            ("M1", "b_f:last_day"): ("suppressed", "campaign_cancelled"),
            ("M2", "b_f:last_day"): ("suppressed", "campaign_cancelled"),
            ("M2", "b_f:main"): ("suppressed", "campaign_cancelled"),
            ("M1", "bxf:main"): ("held", found[("M1", "bxf:main")][1]),
            ("M1", "b_f2:main"): ("held", found[("M1", "b_f2:main")][1]),
        }
        assert app.db.write(lambda uow: messages.stop_campaign_messages(uow, "b_f")) == 0
