"""Model rows through SQL written once, for lookups and inserts on every request's path.

Building a query through the ORM costs several times its execution (for a token joined to its
user and account, 0.73 against 0.12 ms of CPU on 2 cores). A lookup that runs on every API
request writes its SQL once from the models' own metadata and turns each row back into
instances here, with the same conversions the ORM applies (a JSON field's text to a dict);
an insert on that path (a booking) is written once the same way and run prepared.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import AutoField, BigAutoField, Model, SmallAutoField

from .prepared import prepared_cursor


class RowReader:
    """The columns of ``model`` under the SQL alias ``alias``, and instances from their values."""

    def __init__(self, model: type[Model], alias: str):
        self.model = model
        fields = model._meta.concrete_fields
        self.names = [field.attname for field in fields]
        self.columns = ", ".join(f'{alias}."{field.column}"' for field in fields)
        self.width = len(fields)
        self.pk_index = self.names.index(model._meta.pk.attname)
        self.converters = []
        for i, field in enumerate(fields):
            column = field.get_col(alias)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if functions:
                self.converters.append((i, column, functions))

    def instance(self, values) -> Model | None:
        """The instance these values (this model's slice of a row) stand for; None for a NULL key."""
        if values[self.pk_index] is None:
            return None
        values = list(values)
        for i, column, functions in self.converters:
            for convert in functions:
                values[i] = convert(values[i], column, connection)
        return self.model.from_db(connection.alias, self.names, values)


class RowWriter:
    """``INSERT`` of one ``model`` instance, written once from its fields and run prepared.

    What ``instance.save(force_insert=True)`` does for a model without save signals or an
    overridden ``save``: each field's ``pre_save`` and database conversion, the generated key
    read back. Callers check that the model has neither.
    """

    def __init__(self, model: type[Model]):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields
                       if not isinstance(field, AutoField | BigAutoField | SmallAutoField)]
        key = model._meta.pk
        columns = ", ".join(f'"{field.column}"' for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = (f'INSERT INTO "{model._meta.db_table}" ({columns}) VALUES ({placeholders}) '  # noqa: S608
                    f'RETURNING "{key.column}"')

    def insert(self, instance: Model) -> None:
        values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        with prepared_cursor() as cursor:
            cursor.execute(self.sql, values)
            instance.pk = cursor.fetchone()[0]
        instance._state.adding = False
        instance._state.db = connection.alias


def fetch_row(sql: str, params, *, prepared: bool = False) -> tuple | None:
    """The first row ``sql`` returns (None when none), on the default connection.

    ``prepared`` runs it as a prepared statement (passport_portal/prepared.py): for the
    lookups every request makes, planned once per connection instead of on every call.
    """
    with (prepared_cursor() if prepared else connection.cursor()) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
