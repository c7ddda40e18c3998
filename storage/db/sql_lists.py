"""`column IN (a list)` as one bound parameter, on SQLite and PostgreSQL.

SQLAlchemy's expanding IN renders the statement again for every length of
list (a query's typo keys run to a hundred values), which cost a name answer
a third of its time. Here the list travels as one value, so each statement is
compiled once: a JSON array read by `json_each` on SQLite, an array compared
with `= ANY` on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Boolean, ColumnElement, Integer, String, Text, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator, TypeEngine


class _ValueList(TypeDecorator[Sequence[Any]]):
    """A list of ints or strings: a JSON array on SQLite, an array on PostgreSQL."""

    impl = String
    cache_ok = True

    def __init__(self, element: type[Integer] | type[Text]) -> None:
        super().__init__()
        self.element = element

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(self.element()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Sequence[Any] | None, dialect: Dialect) -> Any:
        values = list(value or ())
        return values if dialect.name == "postgresql" else json.dumps(values)


class InList(ColumnElement[bool]):
    """True where `column` is one of the values bound to `parameter`."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison already: never rendered as "(...) = 1"
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("parameter", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], parameter: BindParameter[Any]) -> None:
        self.column = column
        self.parameter = parameter


def in_list(column: Any, name: str, *, of_text: bool = False) -> InList:
    """`column IN :name`, where :name is bound to a Python list of ints (or strings)."""
    return InList(column, bindparam(name, type_=_ValueList(Text if of_text else Integer)))


@compiles(InList)
def _in_json_array(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} IN (SELECT value FROM json_each({compiler.process(element.parameter, **kw)}))"


@compiles(InList, "postgresql")
def _equals_any(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.parameter, **kw)})"
