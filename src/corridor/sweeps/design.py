"""Designs: the points of a sweep, from a grid of value lists or a Monte Carlo sample."""

from __future__ import annotations

import hashlib
import itertools
import json
import zlib

import numpy as np

from corridor.sweeps.spec import (
    Choice,
    LogNormal,
    Normal,
    Point,
    Scalar,
    SweepSpec,
    Uniform,
    probe_points,
)

__all__ = ["Point", "design_points", "draw", "point_key", "probe_points"]


def design_points(spec: SweepSpec) -> list[Point]:
    """Return the points of a sweep in a fixed order, each a value per parameter.

    A grid gives the cartesian product of its value lists, the last parameter varying fastest.
    A sample draws ``n`` values of each parameter from its own random stream, seeded by the
    sample's ``seed`` and the parameter's name: the same seed gives the same points, and adding
    a parameter does not change the draws of the others.

    Parameters
    ----------
    spec
        The sweep.

    Returns
    -------
    list of dict
        One mapping of parameter name to value per point.

    Examples
    --------
    >>> from corridor.sweeps.spec import parse_sweep
    >>> spec = parse_sweep('''
    ... name: demo
    ... parameters:
    ...   a: {demand: [{scale: $value}]}
    ...   b: {patches: [{war_risk: {RU: $value}, ref: d-warrisk-ru-2025-12}]}
    ... grid: {a: [1, 2], b: [0.5, 5]}
    ... job: {assign: {demand: middle-2030}}
    ... ''')
    >>> design_points(spec)
    [{'a': 1, 'b': 0.5}, {'a': 1, 'b': 5}, {'a': 2, 'b': 0.5}, {'a': 2, 'b': 5}]
    """
    names = list(spec.parameters)
    if spec.grid is not None:
        lists = [spec.grid[name] for name in names]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*lists)]
    assert spec.sample is not None
    sample = spec.sample
    columns = {name: draw(sample.parameters[name], sample.n, sample.seed, name) for name in names}
    return [{name: columns[name][i] for name in names} for i in range(sample.n)]


def draw(law: Uniform | Normal | LogNormal | Choice, n: int, seed: int, name: str) -> list[Scalar]:
    """Draw ``n`` values from a law with the stream of ``(seed, name)``.

    Examples
    --------
    >>> from corridor.sweeps.spec import Uniform
    >>> law = Uniform(dist="uniform", low=0, high=1)
    >>> draw(law, 3, 7, "x") == draw(law, 3, 7, "x") != draw(law, 3, 8, "x")
    True
    """
    rng = np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])
    if isinstance(law, Uniform):
        return [float(v) for v in rng.uniform(law.low, law.high, n)]
    if isinstance(law, Normal):
        return [float(v) for v in rng.normal(law.mean, law.sd, n)]
    if isinstance(law, LogNormal):
        return [float(v) for v in law.median * np.exp(law.sigma * rng.standard_normal(n))]
    weights = None
    if law.weights is not None:
        w = np.asarray(law.weights, dtype=float)
        weights = w / w.sum()
    index = rng.choice(len(law.values), size=n, p=weights)
    return [law.values[int(i)] for i in index]


def point_key(spec_hash: str, index: int, values: Point) -> str:
    """Return the key of a point: a hash of the sweep's hash, its index and its values.

    Examples
    --------
    >>> point_key("abc", 0, {"a": 1.5}) == point_key("abc", 0, {"a": 1.5})
    True
    >>> point_key("abc", 0, {"a": 1.5}) == point_key("abd", 0, {"a": 1.5})
    False
    """
    text = json.dumps([spec_hash, index, values], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
