"""Benchmarks: run with `make bench`; they print figures and ratios to the targets."""
