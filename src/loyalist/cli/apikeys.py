"""``loyalist apikeys create|list|rotate|revoke``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Column, Table

from loyalist.cli.context import cli_actor, cli_errors, err, open_app
from loyalist.staff import service
from loyalist.staff.models import Scope

app = typer.Typer(help="API keys for the shop's back end.", no_args_is_help=True)
out = Console()


@app.command()
def create(
    name: Annotated[str, typer.Option(help="who uses the key, e.g. 'web-store'")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help=f"repeatable: {', '.join(s.value for s in Scope)}"),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(help="a role the key acts with (instead of scopes), e.g. 'support'"),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help="the integration that owns it (default: --name)")
    ] = None,
    owner_staff_id: Annotated[
        int | None, typer.Option(help="the staff user who owns it (instead of --owner)")
    ] = None,
) -> None:
    """Create a key with scopes or a role and print it once (only its digest is stored)."""
    by = service.system_principal(cli_actor())
    with cli_errors(), open_app() as loyalist:
        key, token = loyalist.db.write(
            lambda uow: service.create_api_key(
                uow,
                name,
                scope or [],
                role=role,
                owner=owner,
                owner_staff_id=owner_staff_id,
                by=by,
            )
        )
        typer.echo(token)
        grants = f"role {key.role_slug}" if key.role_slug else f"scopes {', '.join(key.scopes)}"
        err.print(
            f"key {key.id} '{key.name}' with {grants}: store it now, it is not shown again",
            markup=False,
        )


@app.command("list")
def list_keys() -> None:
    """List keys (never the secrets)."""
    with cli_errors(), open_app() as loyalist:
        # Rows are built inside the read: the keys are detached once its session closes.
        rows = loyalist.db.read(
            lambda uow: [
                (
                    str(key.id),
                    key.name,
                    key.prefix,
                    " ".join(key.scopes) or f"role:{key.role_slug}",
                    key.owner or f"staff:{key.owner_staff_id}",
                    f"{key.created_at:%Y-%m-%d}",
                    f"{key.revoked_at:%Y-%m-%d}" if key.revoked_at else "",
                )
                for key in service.list_api_keys(uow)
            ]
        )
    # Fold rather than cut with an ellipsis: piped output keeps every character; the id,
    # prefix (what a key is named by) and dates stay on one line, without side borders.
    columns = ("id", "name", "prefix", "grants", "owner", "created", "revoked")
    whole = {"id", "prefix", "created", "revoked"}
    table = Table(
        *(Column(name, overflow="fold", no_wrap=name in whole) for name in columns),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
    )
    for row in rows:
        table.add_row(*row)
    out.print(table)


@app.command()
def rotate(key: Annotated[str, typer.Argument(help="key id or prefix")]) -> None:
    """Give a key a new secret and print it once; the old secret stops working (servers
    notice within seconds)."""
    by = service.system_principal(cli_actor())
    with cli_errors(), open_app() as loyalist:
        rotated, token = loyalist.db.write(lambda uow: service.rotate_api_key(uow, key, by=by))
        typer.echo(token)
        err.print(
            f"key {rotated.id} '{rotated.name}' has a new secret: store it now, it is not "
            "shown again",
            markup=False,
        )


@app.command()
def revoke(key: Annotated[str, typer.Argument(help="key id or prefix")]) -> None:
    """Revoke a key; it stops working within seconds."""
    by = service.system_principal(cli_actor())
    with cli_errors(), open_app() as loyalist:
        revoked = loyalist.db.write(lambda uow: service.revoke_api_key(uow, key, by=by))
        typer.echo(f"revoked key {revoked.id} '{revoked.name}'")
