"""zvit's fixture generators, one module per document type (as in `transforms/`); run as
`python -m tools` (see `tools/__main__.py`)."""
