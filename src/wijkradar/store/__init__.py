"""The monitor database. The only package that imports duckdb."""
