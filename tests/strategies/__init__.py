"""Hypothesis strategies shared by the tests, one module per family of records.

* :mod:`strategies.dates`: dates and date pairs inside the England and Wales calendar.
* :mod:`strategies.cin`: whole children-in-need case histories (valid and deliberately broken).
* :mod:`strategies.looked_after`: SSDA903 episode histories (valid and deliberately broken).
"""
