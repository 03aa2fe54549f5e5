"""Synthetic POS data with planted dishonest-employee schemes, for demos, tests and benchmarks.

The generator writes a contract data set (``shared/contracts/pos-data.md``) that looks like a
few weeks of a small chain: honest cashiers with their ordinary mistakes, service-desk staff
who take returns all day, supervisors who approve other people's voids and overrides, a new
hire still learning, and a handful of employees (and one organised-retail returner) whose
exceptions stand out from their peers. The answer key goes to a separate truth file so that a
scan can be scored against it without the scanner ever seeing it.

Modules: ``catalogue`` (what is sold), ``people`` (stores, staff, customers), ``plan`` (who is
dishonest and how), ``model`` (transactions in cents), ``baskets`` (honest transactions),
``schemes`` (dishonest ones), ``simulation`` (days, shifts, registers), ``inventory`` (counts and
EAS alarms), ``writer`` (CSV rows) and ``truth`` (the answer key).
"""
