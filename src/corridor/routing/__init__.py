"""Multimodal routing: cost model, state graph, best routes, alternatives and Pareto fronts."""
