"""Parameter sweeps: a grid or Monte Carlo sample of scenarios, each point a model run, on Dask.

Examples
--------
>>> from corridor.sweeps import design_points, load_sweep
>>> spec = load_sweep("caspian-capacity-x-war-risk")
>>> len(design_points(spec))
64
"""

from __future__ import annotations

from corridor.sweeps.design import design_points, point_key
from corridor.sweeps.metrics import METRICS
from corridor.sweeps.points import Plan, prepare, run_point
from corridor.sweeps.results import SweepSummary
from corridor.sweeps.run import SweepRun, connect, run_sequential, run_sweep, tasks
from corridor.sweeps.spec import SweepError, SweepSpec, bundled_sweeps, load_sweep, parse_sweep

__all__ = [
    "METRICS",
    "Plan",
    "SweepError",
    "SweepRun",
    "SweepSpec",
    "SweepSummary",
    "bundled_sweeps",
    "connect",
    "design_points",
    "load_sweep",
    "parse_sweep",
    "point_key",
    "prepare",
    "run_point",
    "run_sequential",
    "run_sweep",
    "tasks",
]
