"""The shrink engine: where inventory is lost, from the POS contract's physical counts.

No Django in here; it reads data sets with the POS engine's checked loader."""
