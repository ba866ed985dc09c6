"""Imports the built-in source modules so that they register themselves."""
