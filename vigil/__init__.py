"""Vigil: an open-source loss-prevention platform for retailers."""

__version__ = "0.1.0"
