"""Kommunegraf: a knowledge graph of municipal programmes, their governance and dependencies.

The library behind the ``kg`` CLI and the Streamlit app: the store seam (:mod:`graph.store`),
the ontology terms (:mod:`ontology.terms`), named queries (:mod:`graph.queries`) and analysis
over networkx (:mod:`graph.analysis`). Nothing here imports a UI toolkit.
"""

__version__ = "0.1.0"
