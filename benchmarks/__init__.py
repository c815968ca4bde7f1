"""Benchmarks: `make bench` runs them (photo processing, then the app over HTTP)."""
