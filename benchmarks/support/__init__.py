"""Helpers shared by the benchmark scripts one folder up (which `make bench` runs one by one)."""
