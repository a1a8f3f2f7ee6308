"""Loaders: source files → validated records (with file/row/column positions) → RDF quads.

Loaders never talk to a store; :func:`loaders.dataset.load_dataset` returns quads and the
store decides how to add them (all or nothing).
"""
