"""``loyalist staff create``: a staff user from the command line (the first owner).

The command line is the trusted local administrator (whoever runs it can read the secret
key and the database anyway): it creates a user with any roles, whether or not users exist
already. Owners and admins then manage staff through the API.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from loyalist.audit.models import Actor, ActorKind
from loyalist.cli.context import cli_errors, err, open_app
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.staff import users
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import StaffUserCreate

app = typer.Typer(help="Staff users who sign in to the console.", no_args_is_help=True)

#: Who acts in the audit trail when a user is created here.
CLI_ACTOR = Actor(ActorKind.SYSTEM, label="loyalist staff create")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command()
def create(
    email: Annotated[str, typer.Option(help="where security notices go; signs in with it")],
    name: Annotated[str, typer.Option(help="shown in the console and the audit trail")],
    role: Annotated[list[str], typer.Option(help="repeatable: owner, admin, support, …")],
    locale: Annotated[str, typer.Option(help="en or ru: the language of notices")] = "en",
    password_stdin: Annotated[
        bool, typer.Option(help="read the password from the first line of standard input")
    ] = False,
) -> None:
    """Create a staff user (the first owner: --role owner); asks for the password twice
    unless --password-stdin."""
    password = _read_password(password_stdin)
    with cli_errors():
        try:
            data = StaffUserCreate(
                email=email, name=name, roles=role, password=password, locale=locale
            )
        except ValidationError as exc:
            errors = [FieldError(f"--{e['loc'][0]}", e["msg"]) for e in exc.errors()]
            raise RequestInvalidError(
                f"{errors[0].pointer}: {errors[0].detail}", errors=errors
            ) from None
        with open_app() as loyalist:
            staff = loyalist.settings.staff
            hasher = Hasher(
                staff.password_time_cost, staff.password_memory_kib, staff.password_parallelism
            )
            password_hash = users.new_password_hash(
                hasher, data.password, email=data.email, name=data.name
            )
            created = loyalist.db.write(
                lambda uow: users.create_user(uow, data, password_hash, CLI_ACTOR)
            )
    typer.echo(f"created staff user {created.id} ({', '.join(created.roles)})")
    if not any(r in ("owner", "admin") for r in created.roles):
        return
    err.print("they enrol in two factors at their first sign-in (their roles need them)")
