"""Run every benchmark: `python -m bench` (what `make bench` does)."""

import importlib
import pkgutil

import bench

for module in (
    "backbone",
    "fanout",
    "starvation",
    "retention",
    "statistics",
    "sorani_speech",
    "languages",
):
    if any(m.name == module for m in pkgutil.iter_modules(bench.__path__)):
        print(f"== bench.{module}", flush=True)
        importlib.import_module(f"bench.{module}").main()
