"""The document-type layer: a read `Document` -> typed polars frames, one module per type.

`registry` knows the types; `units`, `deadlines` and `references` are the shared parsers.
"""
