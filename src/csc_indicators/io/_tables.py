"""The statutory returns' tables, declared once.

Each SSDA903 table and each CIN census group is one :class:`Table`: its DfE name, the record
kind it fills, and its :class:`Column` items, each with its DfE column name (SSDA903) or element
path below the group (CIN census), its type, its code list, whether a value is required, whether
the column must be present, and the record field it fills. The declarations drive:

* the readers (:mod:`._ssda903_csv`, :mod:`._ssda903_xml`, :mod:`.cin_census`): which columns a
  table needs, how each value is parsed and checked (:func:`build`), where it goes;
* the writers (:mod:`.writers`): which columns each file has, in which order, and how each
  field is written (:func:`text_of`);
* the tables of ``docs/records.md`` and ``docs/reading-returns.md`` (:func:`markdown`, checked
  by ``tests/test_tables.py``; rewrite them with ``python scripts/update_tables_doc.py``).

So one column is changed in one place: here.

This module gathers them; each concern is in its own module: the declaration types
(:mod:`._table_types`), the SSDA903 tables (:mod:`._tables_ssda903`), the CIN census groups
(:mod:`._tables_cin`), reading a value (:mod:`._build`), writing a value
(:mod:`._tables_text`) and the documentation's tables (:mod:`._tables_doc`).
"""

from ._build import Builder as Builder
from ._build import Fast as Fast
from ._build import Group as Group
from ._build import Row as Row
from ._build import Slow as Slow
from ._build import build, outward_code
from ._build import builder as builder
from ._table_types import Column, Getter, Table, Where
from ._table_types import Presence as Presence
from ._table_types import Type as Type
from ._table_types import code_list as code_list
from ._tables_cin import CIN_BY_NAME as CIN_BY_NAME
from ._tables_cin import CIN_TABLES
from ._tables_doc import BEGIN as BEGIN
from ._tables_doc import END as END
from ._tables_doc import GENERATED as GENERATED
from ._tables_doc import markdown
from ._tables_doc import regenerate as regenerate
from ._tables_doc import signature as signature
from ._tables_doc import summary as summary
from ._tables_ssda903 import BY_NAME as BY_NAME
from ._tables_ssda903 import TABLES
from ._tables_text import text_of

__all__ = [
    "CIN_TABLES",
    "TABLES",
    "Column",
    "Getter",
    "Table",
    "Where",
    "build",
    "markdown",
    "outward_code",
    "text_of",
]
