"""Insert many rows fast: PostgreSQL's COPY, or bulk_create on any other database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from psycopg import sql
from psycopg.types.json import Jsonb

BATCH = 2_000


def insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows of values for the given columns (attribute names such as `run_id`)."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows),
            batch_size=BATCH,
        )
        return

    fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
    is_json = [isinstance(field, models.JSONField) for field in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(field.column) for field in fields),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    Jsonb(value) if json and value is not None else value
                    for value, json in zip(row, is_json, strict=True)
                ]
            )
