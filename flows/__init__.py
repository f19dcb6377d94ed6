"""Prefect flows: thin compositions of the plain functions in the other packages."""
