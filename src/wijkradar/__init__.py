"""Wijkradar: follow social vulnerability in Dutch areas over time."""

__version__ = "0.1.0"
