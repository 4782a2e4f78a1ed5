"""The monthly performance report: one page (HTML) or workbook (Excel) per month.

:func:`report` computes it (the monthly series, the latest figures with their targets, RAG,
direction of travel and comparators, the records behind them and the data quality) into a
:class:`Report`, which renders itself: :meth:`Report.html` gives a self-contained page,
:meth:`Report.xlsx` a workbook, :meth:`Report.write` either, by the file's extension.

Rendering needs the ``report`` extra (``pip install 'csc-indicators[report]'``: Jinja2 and
XlsxWriter); computing the report does not, and the rest of the library never imports them.
:data:`~csc_indicators.report.areas.PLACES` places every indicator in one of the report's
areas.

* :mod:`~csc_indicators.report.model`: what the report shows (:class:`Report`, :class:`Panel`,
  :class:`Point`, :class:`RecordRow`, :func:`format_value`).
* :mod:`~csc_indicators.report.build`: :func:`report`, which computes it.
* :mod:`~csc_indicators.report.areas`: the report's areas and the indicators in each.
* :mod:`~csc_indicators.report.html` and :mod:`~csc_indicators.report.svg`: the page and its
  charts; :mod:`~csc_indicators.report.xlsx`: the workbook.
"""

from ._extra import INSTALL, MissingExtraError
from .areas import AREAS, PLACES, Area, Place
from .model import HEADLINES, Headline, Panel, Point, RecordRow, Report, format_value, report

__all__ = [
    "AREAS",
    "HEADLINES",
    "INSTALL",
    "PLACES",
    "Area",
    "Headline",
    "MissingExtraError",
    "Panel",
    "Place",
    "Point",
    "RecordRow",
    "Report",
    "format_value",
    "report",
]
