"""The one wall-clock timer of the benchmark scripts."""

import time


def best_time(fun, repeats=7, warm_up=True):
    """Shortest wall time of ``repeats`` calls of ``fun`` and its last result.

    With ``warm_up``, one untimed call comes first (caches, lazy imports, a
    CUDA context, a JIT compilation).
    """
    if warm_up:
        fun()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = fun()
        best = min(best, time.perf_counter() - start)
    return best, result
