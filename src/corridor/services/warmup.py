"""Compile and cache corridor's numba kernels once, at install time.

The kernels are compiled on first use and cached next to their modules; a fresh install
would otherwise spend a minute or more compiling inside the user's first ``--pareto`` or
``--k`` query. ``python -m corridor.services.warmup`` runs one query of each kind on the
bundled network (the same argument types as real queries, so every cached specialisation is
the one real queries load) and fills the network cache too. ``make run`` and ``make test``
call it after installing; it takes a few seconds when everything is already cached.
"""

from __future__ import annotations

import sys
import time


def warm_up() -> float:
    """Run one route, k-route, diverse, Pareto, simulation and assignment query.

    Returns
    -------
    float
        Seconds taken.
    """
    from corridor import services

    start = time.perf_counter()
    network, _ = services.find_routes("eurasia", "Xian", "Istanbul")
    services.find_routes(network, "Almaty", "Mersin", k=3)
    services.find_routes(network, "Xian", "Istanbul", k=3, diverse=True)
    services.find_routes(network, "Xian", "Istanbul", avoid=["RU"])
    services.find_pareto(network, "Xian", "Istanbul")
    services.simulate_routes(network, "Xian", "Istanbul", k=2, n=1000)
    services.run_assignment("eurasia", "middle-2030", network=network)
    return time.perf_counter() - start


def main() -> None:
    """Warm the caches and say how long it took (on stderr)."""
    print("corridor: compiling and caching the routing kernels ...", file=sys.stderr, flush=True)
    seconds = warm_up()
    print(f"corridor: kernels ready ({seconds:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
