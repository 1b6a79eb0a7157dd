"""Benchmarks: `make bench` runs them (see BENCHMARKS.md)."""
