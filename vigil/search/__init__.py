"""Global search: one box that finds incidents, cases, subjects, vehicles, evidence, POS
leads and people across the stores a user may see.

Records are copied into one index table (:mod:`vigil.search.models`) as they are saved
(:mod:`vigil.search.signals`); SQLite answers from FTS5 tables beside it, PostgreSQL from a
``tsvector`` column and ``pg_trgm`` trigram indexes (:mod:`vigil.search.backends`); callers
use :func:`vigil.search.finder.find` and never see the difference. POS leads are found by
their transaction id in their own table, which is already indexed for it.

Not to be confused with :mod:`vigil.cases.search`, the filters of the investigation lists.
"""
