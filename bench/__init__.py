"""The benchmark suite (bench/run.py) and its helpers."""
