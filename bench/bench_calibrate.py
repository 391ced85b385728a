"""Calibration speed: observations evaluated per second, against re-running the model.

``baseline (full model)``
    every route observation answered by ``run_validation`` (read the network, build the
    state graphs, search the routes), as a calibration without the design would have to do
    for every parameter vector;
``design (fixed routes)``
    the same observations re-costed from a parameter vector by the design's one matrix
    product (:class:`corridor.calibration.design.Design`);
``calibrate``
    the whole ``corridor calibrate`` on the bundled observations (one validation, the fit,
    5-fold cross-validation), with the target of 2 minutes on 2 cores.

    .venv/bin/python bench/bench_calibrate.py [--folds 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    """Print observations per second of the baseline and the design, and the calibration time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    from corridor.calibration import calibrate, load_groups
    from corridor.calibration.design import ROUTE_KINDS
    from corridor.calibration.run import evaluations_per_second
    from corridor.services import valid_network
    from corridor.validation import run_validation

    network = valid_network("eurasia")
    start = time.perf_counter()
    count = 0
    for kind in ROUTE_KINDS:
        count += len(run_validation("eurasia", kind=kind, network=network).rows)
    baseline = count / (time.perf_counter() - start)

    start = time.perf_counter()
    result = calibrate(load_groups(), network=network, folds=args.folds)
    total = time.perf_counter() - start
    theta = result.fitted.theta
    design = evaluations_per_second(result.design, np.asarray(theta), seconds=1.0)

    print(f"observations: {count} route observations ({len(result.design.rows)} used)")
    print(f"baseline (full model):  {baseline:14,.0f} observations/s")
    print(f"design (fixed routes):  {design:14,.0f} observations/s  ({design / baseline:,.0f}x)")
    target = "PASS" if total < 120 else "FAIL"
    print(f"calibrate ({args.folds}-fold):    {total:14.1f} s  (target < 120 s: {target})")


if __name__ == "__main__":
    main()
