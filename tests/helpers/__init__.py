"""Helpers shared by the tests (plain modules, not test modules)."""
