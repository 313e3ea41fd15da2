"""What a compiled, fused objective+gradient would buy: a numba prototype.

Not part of the package (numba is not a dependency): evidence for the decision
that the speed issue's "one objective+gradient at most 1.3 X @ w" needs.  On a
dense binary problem it times, in multiples of one ``X @ w`` on the same array:
sklogreg's ``LinearLoss`` (NumPy, two passes over X) and a numba kernel that
walks X in blocks of rows, computing ``X_b @ w``, the loss and the residual, and
``X_b.T @ r_b`` while the block is in cache, two threads; and the kernel's
first-call compile time.  Exits with status 2 where numba is not installed.

    pip install numba && python benchmarks/fused_kernel.py [--rows 1000000]
"""

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import best_time  # noqa: E402


def make_kernel(nb):
    @nb.njit(parallel=True, fastmath=True)
    def fused(X, w, b, sign, weights, n_threads, block):  # pragma: no cover
        n, d = X.shape
        n_blocks = (n + block - 1) // block
        per = (n_blocks + n_threads - 1) // n_threads
        G = np.zeros((n_threads, d), dtype=X.dtype)
        F = np.zeros(n_threads)
        B = np.zeros(n_threads)
        for t in nb.prange(n_threads):
            r = np.empty(block, dtype=X.dtype)
            for k in range(t * per, min(n_blocks, (t + 1) * per)):
                lo = k * block
                hi = min(n, lo + block)
                z = X[lo:hi] @ w
                f = 0.0
                intercept = 0.0
                for i in range(hi - lo):
                    m = sign[lo + i] * (z[i] + b)
                    e = math.exp(-abs(m))
                    f += weights[lo + i] * (math.log1p(e) - min(m, 0.0))
                    p = (1.0 if m < 0 else e) / (1.0 + e)
                    r[i] = -sign[lo + i] * weights[lo + i] * p
                    intercept += r[i]
                G[t] += X[lo:hi].T @ r[: hi - lo]
                F[t] += f
                B[t] += intercept
        return F.sum(), G.sum(axis=0), B.sum()

    return fused


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--block", type=int, default=256)
    args = parser.parse_args(argv)
    try:
        import numba as nb
    except ImportError:
        print("benchmarks/fused_kernel.py needs numba (pip install numba).")
        return 2
    from sklogreg._loss import LinearLoss

    threads = nb.config.NUMBA_NUM_THREADS
    print(f"numba {nb.__version__}, numpy {np.__version__}, {threads} threads; "
          f"{args.rows} x {args.features}, block {args.block} rows")  # fmt: skip
    fused = make_kernel(nb)
    rng = np.random.default_rng(0)
    print("| dtype | X @ w (ms) | LinearLoss / X @ w | fused / X @ w | compile (s) |")
    print("|---|---|---|---|---|")
    for dtype in (np.float64, np.float32):
        X = rng.standard_normal((args.rows, args.features)).astype(dtype)
        w = (0.1 * rng.standard_normal(args.features)).astype(dtype)
        sign = np.where(rng.random(args.rows) > 0.5, 1.0, -1.0).astype(dtype)
        weights = np.full(args.rows, 1 / args.rows, dtype=dtype)
        b = dtype(0.1)
        start = time.perf_counter()
        f_fused, g_fused, b_fused = fused(X, w, b, sign, weights, 2, args.block)
        compile_s = time.perf_counter() - start
        loss = LinearLoss(X, (sign > 0).astype(dtype), weights, 0.0, True, 2)
        f, g = loss(np.append(w, b))
        # the same numbers, to the rounding of the dtype
        scale = 1e-4 if dtype == np.float32 else 1e-10
        assert abs(f - f_fused) <= scale * abs(f)
        assert np.allclose(g, np.append(g_fused, b_fused), rtol=scale, atol=scale)
        base, _ = best_time(lambda: X @ w)  # noqa: B023
        ours, _ = best_time(lambda: loss(np.append(w, b)))  # noqa: B023
        kernel, _ = best_time(
            lambda: fused(X, w, b, sign, weights, 2, args.block)  # noqa: B023
        )
        print(f"| {np.dtype(dtype).name} | {base * 1e3:.1f} | {ours / base:.2f} | "
              f"{kernel / base:.2f} | {compile_s:.1f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
