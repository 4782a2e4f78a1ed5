"""Reading and writing the statutory returns: the CIN census XML and the SSDA903 tables.

* :func:`read_cin_census` and :func:`read_ssda903` turn councils' files, exactly as submitted,
  into a :class:`~csc_indicators.Bundle` of typed records.
* :func:`write_cin_census`, :func:`write_ssda903` and :func:`write_ssda903_xml` write a bundle
  back out in the same layouts (for tests, examples and benchmarks).
* :data:`TABLES` (SSDA903) and :data:`CIN_TABLES` (CIN census) declare every table: its
  :class:`Column` items, their types, code lists and the record fields they fill. They drive
  the readers, the writers and the documentation's tables.
"""

from ._tables import CIN_TABLES, Column
from .cin_census import read_cin_census, stitch_cin
from .ssda903 import TABLES, Table, read_ssda903
from .writers import write_cin_census, write_ssda903, write_ssda903_xml

__all__ = [
    "CIN_TABLES",
    "TABLES",
    "Column",
    "Table",
    "read_cin_census",
    "read_ssda903",
    "stitch_cin",
    "write_cin_census",
    "write_ssda903",
    "write_ssda903_xml",
]
