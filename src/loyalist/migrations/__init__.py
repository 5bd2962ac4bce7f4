"""Alembic migrations, shipped inside the package so `loyalist init` works from a wheel."""
