"""Build steps: Load -> Process -> Save, with input hashes and an atomic swap.

`build(sources, target, options=..., progress=...)` is the one entry point (pipeline/build.py).
"""

from wijkradar.pipeline.build import BuildOptions, BuildReport, SourceSummary, build

__all__ = ["BuildOptions", "BuildReport", "SourceSummary", "build"]
