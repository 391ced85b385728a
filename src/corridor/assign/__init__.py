"""Capacity-constrained multi-commodity flow assignment (HiGHS) and bottleneck analysis."""
