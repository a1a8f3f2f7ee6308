"""Package list for the wheel (metadata and package data are in pyproject.toml).

The top-level folders stay as the project keeps them (graph/, loaders/, ontology/, queries/);
data/sdg, which the SDG loader reads at run time, is mapped to ``loaders.sdg_data``.
"""

from setuptools import find_packages, setup

PACKAGES = find_packages(
    include=["graph", "graph.*", "loaders", "loaders.*", "ontology", "queries"]
)

setup(
    packages=[*PACKAGES, "loaders.sdg_data"],
    package_dir={"loaders.sdg_data": "data/sdg"},
)
