"""The DuckDB warehouse: raw tables and the document ledger, loading, dbt builds, publishing."""
