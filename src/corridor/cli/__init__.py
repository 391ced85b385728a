"""The ``corridor`` command line: a thin adapter over :mod:`corridor.services`."""
