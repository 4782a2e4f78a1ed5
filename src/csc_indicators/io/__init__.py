"""Reading and writing the statutory returns: the CIN census XML and the SSDA903 tables.

* :func:`read_cin_census` and :func:`read_ssda903` turn councils' files, exactly as submitted,
  into a :class:`~csc_indicators.Bundle` of typed records.
* :func:`write_cin_census`, :func:`write_ssda903` and :func:`write_ssda903_xml` write a bundle
  back out in the same layouts (for tests, examples and benchmarks).
"""

from .cin_census import read_cin_census, stitch_cin
from .ssda903 import TABLES, Table, read_ssda903
from .writers import write_cin_census, write_ssda903, write_ssda903_xml

__all__ = [
    "TABLES",
    "Table",
    "read_cin_census",
    "read_ssda903",
    "stitch_cin",
    "write_cin_census",
    "write_ssda903",
    "write_ssda903_xml",
]
