"""zvit: ДМС report documents (PDF/DOCX) into a DuckDB reporting warehouse."""

__version__ = "0.1.0"
