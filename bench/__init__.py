"""Benchmarks for Vigil; run with ``python -m bench`` (see bench/README.md)."""
