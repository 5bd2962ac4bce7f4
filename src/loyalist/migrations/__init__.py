"""Alembic migrations, shipped inside the package so `loyalist init` works from a wheel."""

from typing import Final

#: The newest revision (``tests/unit/test_migrations_head.py`` checks it is Alembic's head):
#: commands compare the database with it without loading Alembic.
HEAD: Final = "0012"
