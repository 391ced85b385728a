"""Calibration: fitting parameter groups to the published observations.

See :func:`corridor.calibration.run.calibrate` and the groups file ``groups.yaml``.
"""

from __future__ import annotations

from corridor.calibration.fit import Fit, GroupFit, cross_validate, fit
from corridor.calibration.groups import Group, GroupsError, load_groups, parse_groups
from corridor.calibration.run import CalibrationResult, calibrate

__all__ = [
    "CalibrationResult",
    "Fit",
    "Group",
    "GroupFit",
    "GroupsError",
    "calibrate",
    "cross_validate",
    "fit",
    "load_groups",
    "parse_groups",
]
