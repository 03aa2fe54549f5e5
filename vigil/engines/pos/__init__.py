"""The POS exception engine: contract data sets in, exceptions and explained risk scores out.

Plain Python and DuckDB (or Spark), no Django: it runs from the command line on files alone,
and the web app calls it the same way.
"""
