"""scores and recommendations are stored in generations, staged then published

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00

Rows already stored become one published generation (scores) and belong to the stored
refresh (recommendations).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "score_generations",
        sa.Column("id", _ID, nullable=False),
        sa.Column("computed_at", _STAMP, nullable=False),
        sa.Column("published_at", _STAMP, nullable=True),
        sa.Column("segments_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_generations")),
    )
    op.execute(
        "INSERT INTO score_generations (computed_at, published_at, segments_at) "
        "SELECT computed_at, computed_at, computed_at FROM member_scores "
        "ORDER BY computed_at DESC LIMIT 1"
    )
    _keyed_by(
        "member_scores",
        "generation",
        "(SELECT max(id) FROM score_generations)",
        ["generation", "member_id"],
        "score_generations",
    )

    with op.batch_alter_table("recommendation_runs") as batch:
        batch.add_column(sa.Column("published_at", _STAMP, nullable=True))
    op.execute("UPDATE recommendation_runs SET published_at = computed_at")
    latest = "(SELECT max(id) FROM recommendation_runs)"
    _keyed_by(
        "item_neighbours",
        "run_id",
        latest,
        ["run_id", "sku", "neighbour_sku"],
        "recommendation_runs",
    )
    op.drop_index("ix_item_popularity_rank", table_name="item_popularity")
    _keyed_by("item_popularity", "run_id", latest, ["run_id", "sku"], "recommendation_runs")
    op.create_index("ix_item_popularity_rank", "item_popularity", ["run_id", "rank"])


def _keyed_by(table: str, column: str, value: str, key: list[str], parent: str) -> None:
    """``column`` added to ``table``'s primary key (first), set to ``value`` on the stored
    rows (rows left without one are deleted), referring to ``parent``."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(column, _ID, nullable=True))
    op.execute(f"UPDATE {table} SET {column} = {value}")  # noqa: S608
    op.execute(f"DELETE FROM {table} WHERE {column} IS NULL")  # noqa: S608
    with op.batch_alter_table(table, recreate="always") as batch:
        batch.alter_column(column, existing_type=_ID, nullable=False)
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", key)
        batch.create_foreign_key(f"fk_{table}_{column}_{parent}", parent, [column], ["id"])


def _unkeyed(table: str, column: str, key: list[str], parent: str) -> None:
    with op.batch_alter_table(table, recreate="always") as batch:
        batch.drop_constraint(f"fk_{table}_{column}_{parent}", type_="foreignkey")
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", key)
        batch.drop_column(column)


def downgrade() -> None:
    # Only the current generation (refresh) is kept.
    current = "COALESCE((SELECT max(id) FROM {} WHERE published_at IS NOT NULL), 0)"
    op.execute(
        "DELETE FROM member_scores WHERE generation <> "  # noqa: S608
        + current.format("score_generations")
    )
    for table in ("item_neighbours", "item_popularity"):
        op.execute(
            f"DELETE FROM {table} WHERE run_id <> "  # noqa: S608
            + current.format("recommendation_runs")
        )
    op.execute(
        "DELETE FROM recommendation_runs WHERE id <> "  # noqa: S608
        + current.format("recommendation_runs")
    )
    op.drop_index("ix_item_popularity_rank", table_name="item_popularity")
    _unkeyed("item_popularity", "run_id", ["sku"], "recommendation_runs")
    op.create_index("ix_item_popularity_rank", "item_popularity", ["rank"])
    _unkeyed("item_neighbours", "run_id", ["sku", "neighbour_sku"], "recommendation_runs")
    with op.batch_alter_table("recommendation_runs") as batch:
        batch.drop_column("published_at")
    _unkeyed("member_scores", "generation", ["member_id"], "score_generations")
    op.drop_table("score_generations")
