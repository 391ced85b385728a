"""Graph views and shortest-path kernels on CSR arrays."""
