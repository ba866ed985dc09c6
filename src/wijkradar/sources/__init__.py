"""Source adapters. Each yields SourceResult objects: observations with provenance.

Built-in sources register themselves through the same registry an outside municipality would use
for its own (see `registry.py`).
"""
