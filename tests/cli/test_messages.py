"""``loyalist messages list|show|resend|preview``: a member's messages with their history,
resending a not_configured one (and refusing a suppressed one), previews in both languages,
and errors as ``error[code]`` with their exit codes."""

from __future__ import annotations

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.messages import service as messages
from loyalist.messages.models import MessageChannel, SuppressionReason
from tests.cli.conftest import Cli, sqlite_only
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, messages_of, pay_order


def _not_configured(app: Loyalist) -> str:
    """Anna's order confirmation, ``not_configured`` (no SMTP host is set), and Boris's."""
    enrol(app, "M1", email="anna@example.com", first_name="Anna")
    enrol(app, "M2", email="boris@example.com")
    pay_order(app, "M1", "A-1", START)
    pay_order(app, "M2", "B-1", START)
    run_jobs(app)
    [message] = messages_of(app, "M1")
    assert message.status == "not_configured"
    return message.id


class TestListAndShow:
    def test_lists_filters_and_shows_a_message_with_its_history(
        self, cli: Cli, app: Loyalist
    ) -> None:
        message_id = _not_configured(app)

        everyone = cli.run("messages", "list")
        anna = cli.run("messages", "list", "--member", "M1", "--status", "not_configured")
        nothing = cli.run("messages", "list", "--journey", "welcome")
        shown = cli.run("messages", "show", message_id, "--member", "M1")

        assert everyone.code == 0, everyone.stderr
        assert "M1" in everyone.stdout
        assert "M2" in everyone.stdout
        assert everyone.stderr.strip() == "2 messages"
        assert message_id in anna.stdout
        assert "M2" not in anna.stdout
        assert "no email provider is configured" in anna.stdout
        assert nothing.stderr.strip() == "0 messages"
        assert shown.code == 0, shown.stderr
        assert f"id:        {message_id}" in shown.stdout
        assert "status:    not_configured: no email provider is configured" in shown.stdout
        assert "status history" in shown.stdout
        assert "queued" in shown.stdout

    def test_unknown_member_message_and_status_are_errors(self, cli: Cli, app: Loyalist) -> None:
        enrol(app, "M1")

        no_member = cli.run("messages", "list", "--member", "nobody")
        no_message = cli.run("messages", "show", "msg_nope", "--member", "M1")
        bad_status = cli.run("messages", "list", "--status", "lost")

        assert no_member.code == 3
        assert no_member.stderr.startswith("error[member_not_found]: ")
        assert no_message.code == 3
        assert no_message.stderr.startswith("error[message_not_found]: ")
        assert bad_status.code == 2


class TestResend:
    def test_queues_a_not_configured_message_again_with_who_resent_it(
        self, cli: Cli, app: Loyalist
    ) -> None:
        message_id = _not_configured(app)

        result = cli.run(
            "messages", "resend", message_id, "--member", "M1", "--reason", "SMTP set up"
        )
        again = cli.run("messages", "resend", message_id, "--member", "M1")

        assert result.code == 0, result.stderr
        assert result.stdout.strip() == f"message {message_id} of M1 is queued again"
        [message] = messages_of(app, "M1")
        assert (message.id, message.status) == (message_id, "queued")
        last = message.history[-1].reason or ""
        assert last.startswith("resent by the command line")
        assert last.endswith(": SMTP set up")
        assert again.code == 4
        assert again.stderr.startswith("error[message_not_resendable]: ")

    def test_a_suppressed_message_is_not_resent(self, cli: Cli, app: Loyalist) -> None:
        message_id = _not_configured(app)
        internal = app.db.read(lambda uow: members.get_member_id(uow, "M1"))

        def resend_then_suppress(uow: UnitOfWork) -> None:
            messages.resend(uow, "M1", message_id, by="test")
            messages.suppress(
                uow, internal, MessageChannel.EMAIL, SuppressionReason.MANUAL, source="test"
            )

        app.db.write(resend_then_suppress)
        run_jobs(app)  # the send-time check runs again: suppressed

        refused = cli.run("messages", "resend", message_id, "--member", "M1")

        assert messages_of(app, "M1")[0].status == "suppressed"
        assert refused.code == 4
        assert refused.stderr.startswith("error[message_not_resendable]: ")
        assert "is suppressed" in refused.stderr


class TestPreview:
    def test_renders_sample_data_in_both_languages_and_the_html_part(self, cli: Cli) -> None:
        english = cli.run("messages", "preview", "order_confirmation")
        russian = cli.run("messages", "preview", "order_confirmation", "--locale", "ru")
        html = cli.run("messages", "preview", "order_confirmation", "--part", "html")
        subject = cli.run("messages", "preview", "order_confirmation", "--part", "subject")

        assert english.code == 0, english.stderr
        assert english.stdout.startswith("Subject: Order ")
        assert "<html" not in english.stdout
        assert russian.stdout.startswith("Subject: Заказ ")
        assert html.code == 0, html.stderr
        assert "</html>" in html.stdout
        assert subject.stdout.startswith("Order ")
        assert len(subject.stdout.strip().splitlines()) == 1

    def test_renders_with_a_members_details(self, cli: Cli, app: Loyalist) -> None:
        enrol(app, "M1", first_name="Anna")
        result = cli.run("messages", "preview", "welcome", "--member", "M1")
        assert result.code == 0, result.stderr
        assert "Anna" in result.stdout


@sqlite_only
def test_an_unknown_template_is_not_found(cli: Cli) -> None:
    result = cli.run("messages", "preview", "nope")
    assert result.code == 3
    assert result.stderr.startswith("error[template_not_found]: ")
