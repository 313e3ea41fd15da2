"""GPU benchmark: the same fit on PyTorch CUDA arrays, on NumPy, and by scikit-learn.

Runs where PyTorch sees a CUDA device; elsewhere it says so and exits with
status 2.  Data: float32, dense, standardised; a binary problem (default
1M x 1000) and a 10-class one (default 200k x 500).  For each: the fit time of
``GradientDescentLogisticRegression()`` on torch CUDA tensors (Array API
dispatch, everything on the GPU), the same estimator on NumPy arrays on the
CPU, and scikit-learn's ``LogisticRegression()`` on the NumPy arrays, with the
objective each reaches (sklogreg's float64 objective at each coefficient set).

    python benchmarks/gpu.py                      # the default sizes
    python benchmarks/gpu.py --binary 100000 200 --multiclass 50000 100
    python benchmarks/gpu.py --skip-cpu           # GPU fits only
    python benchmarks/gpu.py --device cpu --binary 20000 50 --multiclass 5000 20
                                                  # the same path on torch CPU
"""

import argparse
import os
import platform
import sys

os.environ.setdefault("SCIPY_ARRAY_API", "1")  # before scipy is imported

import numpy as np  # noqa: E402
from timing import best_time  # noqa: E402


def _torch(device):
    try:
        import torch
    except ImportError:
        return None, "PyTorch is not installed"
    if device.startswith("cuda") and not torch.cuda.is_available():
        return None, f"PyTorch {torch.__version__} sees no CUDA device"
    return torch, None


def make_data(n_samples, n_features, n_classes, seed=0):
    """Standardised float32 features and labels of a noisy linear model."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features), dtype=np.float32)
    W = rng.standard_normal((n_features, n_classes)).astype(np.float32)
    W /= np.sqrt(n_features)
    scores = X @ W + rng.gumbel(size=(n_samples, n_classes)).astype(np.float32)
    return X, scores.argmax(axis=1)


def objective(coef, intercept, X, y, C=1.0):
    """sklogreg's float64 objective (the one of LogisticRegression) at a model."""
    from sklogreg._loss import LinearLoss

    classes = np.unique(y)
    X64 = X.astype(np.float64)
    n = X.shape[0]
    target = np.searchsorted(classes, y)
    if len(classes) == 2:
        target = target.astype(np.float64)
    loss = LinearLoss(X64, target, np.full(n, 1 / n), 1 / (C * n), True, len(classes))
    flat = np.vstack([np.asarray(coef, np.float64).T, np.asarray(intercept)[None]])
    return loss(flat.ravel())[0]


def run(name, X, y, torch, device, skip_cpu, cpu_repeats):
    from sklearn import config_context
    from sklearn.linear_model import LogisticRegression

    from sklogreg import GradientDescentLogisticRegression

    rows = []
    X_gpu = torch.asarray(X, device=device)
    y_gpu = torch.asarray(y, device=device)

    def gpu_fit():
        with config_context(array_api_dispatch=True):
            model = GradientDescentLogisticRegression().fit(X_gpu, y_gpu)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return model

    seconds, model = best_time(gpu_fit, repeats=3, warm_up=True)  # CUDA context
    coef = model.coef_.cpu().numpy()
    intercept = model.intercept_.cpu().numpy()
    n_iter = int(model.n_iter_[0])
    rows.append((f"sklogreg lbfgs, torch {device}", seconds, coef, intercept, n_iter))
    if not skip_cpu:
        cpu_fits = {
            "sklogreg lbfgs, NumPy CPU": GradientDescentLogisticRegression,
            "sklearn lbfgs, NumPy CPU": LogisticRegression,
        }
        for label, estimator in cpu_fits.items():
            fit = lambda: estimator().fit(X, y)  # noqa: B023, E731
            seconds, model = best_time(fit, repeats=cpu_repeats, warm_up=False)
            n_iter = int(model.n_iter_[0])
            rows.append((label, seconds, model.coef_, model.intercept_, n_iter))
    reference = rows[-1][1]
    print(f"\n## {name} ({X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} classes)\n")
    print("| fit | seconds | ratio to last row | n_iter | objective |")
    print("|---|---|---|---|---|")
    for label, seconds, coef, intercept, n_iter in rows:
        f = objective(coef, intercept, X, y)
        print(f"| {label} | {seconds:.3g} | {seconds / reference:.3g} | {n_iter} | "
              f"{f:.10g} |")  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", nargs=2, type=int, default=[1_000_000, 1000])
    parser.add_argument("--multiclass", nargs=2, type=int, default=[200_000, 500])
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--skip-cpu", action="store_true", help="GPU fits only")
    parser.add_argument("--device", default="cuda", help="torch device (cuda)")
    parser.add_argument(
        "--cpu-repeats", type=int, default=1, help="CPU fits per estimator (best)"
    )
    args = parser.parse_args(argv)

    torch, why = _torch(args.device)
    if torch is None:
        print(f"benchmarks/gpu.py needs a CUDA GPU: {why}; nothing to measure.")
        return 2
    gpu = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "none"
    import sklearn

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores; "
        f"GPU {gpu}; torch {torch.__version__}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}"
    )
    print(f"Command: python benchmarks/gpu.py {' '.join(argv or sys.argv[1:])}")
    X, y = make_data(*args.binary, n_classes=2)
    run("binary", X, y, torch, args.device, args.skip_cpu, args.cpu_repeats)
    X, y = make_data(*args.multiclass, n_classes=args.classes)
    run(
        f"{args.classes} classes",
        X,
        y,
        torch,
        args.device,
        args.skip_cpu,
        args.cpu_repeats,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
