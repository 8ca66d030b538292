"""Benchmarks of Pantau and the synthetic national-scale data generator (see README.md)."""
