"""Prefect flows: thin compositions of the plain functions in zvit, reader, transforms, warehouse."""
