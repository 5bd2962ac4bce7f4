"""``loyalist connectors create|list|disable|enable``: the fixed interface
``loyalist connectors create shopify --key KEY --secret SECRET``, and what it stores."""

from __future__ import annotations

from loyalist.bootstrap import Loyalist
from loyalist.connectors import service
from tests.auditing import audit_rows
from tests.cli.conftest import Cli, sqlite_only

pytestmark = sqlite_only


class TestCreate:
    def test_creates_a_shopify_connector_and_prints_its_webhook_path(
        self, cli: Cli, app: Loyalist
    ) -> None:
        result = cli.run(
            "connectors", "create", "shopify", "--key", "main-shop", "--secret", "s3cret-s3cret"
        )

        assert result.code == 0, result.stderr
        assert result.stdout.strip() == "/api/v1/connectors/shopify/main-shop"
        assert "s3cret-s3cret" not in result.stdout + result.stderr
        receiver = app.db.read(lambda uow: service.find_receiver(uow, "shopify", "main-shop"))
        assert receiver is not None
        assert receiver.secret == b"s3cret-s3cret"
        assert (receiver.config.currency, receiver.config.channel) == ("EUR", "web")
        actions = [row["action"] for row in audit_rows(app)]
        assert "connector.created" in actions

    def test_takes_the_mapping_for_every_platform(self, cli: Cli, app: Loyalist) -> None:
        for platform in ("woocommerce", "saleor"):
            result = cli.run(
                "connectors", "create", platform, "--key", f"{platform}-eu",
                "--secret", "s3cret-s3cret", "--currency", "USD", "--channel", "app",
                "--store", "berlin",
            )  # fmt: skip
            assert result.code == 0, result.stderr

        listed = app.db.read(service.list_connectors)

        assert [(c.key, c.platform, c.currency, c.channel, c.store) for c in listed] == [
            ("saleor-eu", "saleor", "USD", "app", "berlin"),
            ("woocommerce-eu", "woocommerce", "USD", "app", "berlin"),
        ]

    def test_refuses_bad_options_and_a_taken_key_with_exit_codes(self, cli: Cli) -> None:
        cli.run(
            "connectors", "create", "shopify", "--key", "main-shop", "--secret", "s3cret-s3cret"
        )

        bad = cli.run(
            "connectors", "create", "shopify", "--key", "Main Shop", "--secret", "short",
            "--currency", "usd",
        )  # fmt: skip
        taken = cli.run(
            "connectors", "create", "saleor", "--key", "main-shop", "--secret", "s3cret-s3cret"
        )
        platform = cli.run(
            "connectors", "create", "magento", "--key", "m", "--secret", "s3cret-s3cret"
        )

        assert bad.code == 2
        assert "error[option_invalid]" in bad.stderr
        for option in ("--key", "--secret", "--currency"):
            assert option in bad.stderr
        assert taken.code == 4
        assert "error[connector_exists]" in taken.stderr
        assert platform.code == 2


class TestListAndSwitch:
    def test_lists_disables_and_enables(self, cli: Cli, app: Loyalist) -> None:
        cli.run(
            "connectors", "create", "shopify", "--key", "main-shop", "--secret", "s3cret-s3cret"
        )

        off = cli.run("connectors", "disable", "main-shop")
        listed = cli.run("connectors", "list")
        refused = app.db.read(lambda uow: service.find_receiver(uow, "shopify", "main-shop"))
        on = cli.run("connectors", "enable", "main-shop")
        missing = cli.run("connectors", "disable", "no-such")

        assert off.code == 0, off.stderr
        assert "main-shop" in listed.stdout
        assert "/api/v1/connectors/shopify/main-shop" in listed.stdout
        assert "s3cret" not in listed.stdout
        assert refused is None
        assert on.code == 0
        assert app.db.read(lambda uow: service.find_receiver(uow, "shopify", "main-shop"))
        assert missing.code == 3
        assert "error[connector_not_found]" in missing.stderr
