"""Per-office aggregates joined to an office queryset: ``LEFT JOIN LATERAL (…) ON TRUE``.

A figure written as a correlated subquery reads the office's rows once per figure, and once
more wherever another expression refers to it (Django inlines an annotation's SQL at each
use). A lateral join reads them once for all the figures it aggregates (``count(*) FILTER
(WHERE …)`` per figure) and every use of a figure is a plain column of the join.

The body is SQL written against the office's row, ``{office}`` standing for the office table's
alias (relabelled with the query when Django nests it). It must aggregate without GROUP BY, so
it always yields exactly one row: the join then never drops or repeats an office, and
PostgreSQL removes it altogether from a query that uses none of its columns (a page's count).
Values of the office's own calendar belong in scalar sub-selects, ``(SELECT (%s AT TIME ZONE
{office}.timezone)::date)``: PostgreSQL computes those once per office, not once per row.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.db.models import Expression, Field, QuerySet
from django.db.models.sql.constants import LOUTER


class LateralJoin:
    """An entry of ``Query.alias_map``: the lateral join of one aggregate body to the office table."""

    join_field = None
    filtered_relation = None
    nullable = True

    def __init__(self, table_name: str, parent_alias: str, body: str, params: tuple,
                 table_alias: str | None = None, join_type: str | None = LOUTER):
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.body = body
        self.params = tuple(params)

    def as_sql(self, compiler, connection):
        office = compiler.quote_name_unless_alias(self.parent_alias)
        alias = compiler.quote_name_unless_alias(self.table_alias)
        # one row per office whatever the join type Django settles on: always a left join
        body = self.body.replace("{office}", office)
        return f"LEFT OUTER JOIN LATERAL ({body}) {alias} ON TRUE", self.params

    def relabeled_clone(self, change_map):
        parent = change_map.get(self.parent_alias, self.parent_alias)
        alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, parent, self.body, self.params, alias, self.join_type)

    @property
    def identity(self):
        return self.__class__, self.table_name, self.parent_alias, self.body, self.params

    def __eq__(self, other):
        if not isinstance(other, LateralJoin):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def demote(self):
        return self.relabeled_clone({})

    def promote(self):
        return self.relabeled_clone({})


class LateralColumn(Expression):
    """One column of a ``LateralJoin``."""

    def __init__(self, alias: str, column: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.alias, self.column = alias, column

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(self.column)}", []

    def relabeled_clone(self, change_map):
        return self.__class__(change_map.get(self.alias, self.alias), self.column, self.output_field)

    def get_group_by_cols(self):
        return [self]


def join_lateral(queryset: QuerySet, name: str, body: str, params: tuple | list,
                 columns: dict[str, Field]) -> QuerySet:
    """``queryset`` (of offices) joined to the aggregate ``body``, its ``columns`` as annotations.

    ``name`` names the join in the SQL (it must not be a table's name).
    """
    queryset = queryset.all()
    query = queryset.query
    alias = query.join(LateralJoin(name, query.get_initial_alias(), body, tuple(params)))
    return queryset.annotate(**{column: LateralColumn(alias, column, field)
                                for column, field in columns.items()})


class Fragment(NamedTuple):
    """Compiled SQL (a subquery's, say) and its parameters, to stand for a named placeholder."""

    sql: str
    params: tuple


def positional(sql: str, params: dict) -> tuple[str, tuple]:
    """``sql`` with named placeholders (``%(name)s``, each usable many times) made positional.

    A ``Fragment`` value puts its own SQL in the placeholder's place, and its parameters.
    """
    ordered = []

    def place(match: re.Match) -> str:
        value = params[match[1]]
        if isinstance(value, Fragment):
            ordered.extend(value.params)
            return value.sql
        ordered.append(value)
        return "%s"

    return re.sub(r"%\((\w+)\)s", place, sql), tuple(ordered)
