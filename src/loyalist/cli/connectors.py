"""``loyalist connectors create|list|disable|enable``: a shop's connection."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Column, Table

from loyalist.cli.context import cli_actor, cli_errors, err, open_app, valid_options
from loyalist.connectors import service
from loyalist.connectors.schemas import ConnectorCreate, ConnectorUpdate, Platform

app = typer.Typer(
    help="Shop connectors: Shopify, WooCommerce, Saleor webhooks.", no_args_is_help=True
)
out = Console()


@app.command()
def create(
    platform: Annotated[Platform, typer.Argument(help="shopify, woocommerce or saleor")],
    key: Annotated[str, typer.Option(help="the last segment of the webhook URL, e.g. main-shop")],
    secret: Annotated[
        str, typer.Option(help="what the platform signs webhooks with (stored encrypted)")
    ],
    currency: Annotated[str, typer.Option(help="of an order that states none")] = "EUR",
    channel: Annotated[str, typer.Option(help="web, app or pos")] = "web",
    store: Annotated[str | None, typer.Option(help="the Loyalist store orders go to")] = None,
) -> None:
    """Connect a shop and print the path its platform posts webhooks to."""
    with cli_errors():
        body = valid_options(
            ConnectorCreate,
            platform=platform,
            key=key,
            secret=secret,
            currency=currency,
            channel=channel,
            store=store,
        )
        with open_app() as loyalist:
            made = loyalist.db.write(
                lambda uow: service.create_connector(uow, body, actor=cli_actor())
            )
    typer.echo(made.webhook_path)
    err.print(
        f"{made.platform} connector {made.key!r} created: point the platform's webhooks at "
        f"https://<this server>{made.webhook_path}",
        markup=False,
    )


#: Columns printed whole (what one copies): the key and the webhook path.
_WHOLE = frozenset({"key", "webhook path"})


@app.command("list")
def list_connectors() -> None:
    """List connectors (never their secrets)."""
    with cli_errors(), open_app() as loyalist:
        rows = loyalist.db.read(service.list_connectors)
    columns = ("key", "platform", "webhook path", "currency", "channel", "store", "enabled")
    table = Table(
        *(Column(name, overflow="fold", no_wrap=name in _WHOLE) for name in columns),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for row in rows:
        table.add_row(
            row.key,
            row.platform,
            row.webhook_path,
            row.currency,
            row.channel,
            row.store or "",
            "yes" if row.is_enabled else "no",
        )
    out.print(table)


def _switch(key: str, enabled: bool) -> None:
    body = ConnectorUpdate(is_enabled=enabled)
    with cli_errors(), open_app() as loyalist:
        loyalist.db.write(lambda uow: service.update_connector(uow, key, body, actor=cli_actor()))
    typer.echo(f"connector {key!r} {'enabled' if enabled else 'disabled'}")


@app.command()
def disable(key: Annotated[str, typer.Argument(help="the connector's key")]) -> None:
    """Refuse the connector's webhooks (404) until it is enabled again."""
    _switch(key, False)


@app.command()
def enable(key: Annotated[str, typer.Argument(help="the connector's key")]) -> None:
    """Take the connector's webhooks again."""
    _switch(key, True)
