"""Speed of sklogreg against scikit-learn on the same objective.

Usage::

    python benchmarks/run.py            # quick: a few minutes on 2 cores
    python benchmarks/run.py --full     # the sizes of the speed issue
    python benchmarks/run.py --datasets "dense std" "5 classes" --out DIR

For every data set and competitor it records, in one run:

- default settings: median fit time over interleaved repeats, its ratio to
  ``LogisticRegression()``, the final objective relative to that of
  ``LogisticRegression()``, iterations, gradient evaluations and the peak memory
  of fit (tracemalloc, in a separate fit);
- a curve of relative suboptimality against fit time, one independent fit per
  iteration budget (1, 2, 4, ... iterations, or epochs, with no tolerance),
  doubling until one fit exceeds the time budget, against a reference optimum
  (a tight solve certified by its gradient, or a better point of the run), and
  the time to reach relative suboptimality 1e-6.

Then the cost of one objective+gradient evaluation in multiples of one
``X @ w`` (dense float64, float32, sparse) and the peak memory of a default
fit on the largest dense set.  It writes ``summary.md``, ``results.csv`` and
one PNG per data set (when matplotlib is installed) to the results folder.
"""

import argparse
import csv
import os
import platform
import sys
import time
import tracemalloc
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn._loss.loss import HalfBinomialLoss
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import DATASETS, available, gradient_data, sparse_tfidf  # noqa: E402
from solvers import COMPETITORS, ITERATIONS, REFERENCE  # noqa: E402
from timing import best_time  # noqa: E402

from sklogreg import GradientDescentLogisticRegression  # noqa: E402
from sklogreg._loss import LinearLoss, n_outputs  # noqa: E402

C = 1.0
TARGET = 1e-6  # relative suboptimality of the time-to-target column


def objective(model, X, y, C=C, l1_ratio=0.0):
    """scikit-learn's objective at a model: the mean log-loss plus
    ``(l1_ratio ||W||_1 + (1 - l1_ratio) / 2 ||W||^2) / (C n)``."""
    classes, y_index = np.unique(y, return_inverse=True)
    n_classes = len(classes)
    target = y_index.astype(float) if n_classes == 2 else y_index
    coef = np.vstack([model.coef_.T, model.intercept_[None, :]]).astype(float)
    n = X.shape[0]
    l2 = (1 - l1_ratio) / (C * n)
    loss = LinearLoss(X, target, np.full(n, 1.0 / n), l2, True, n_classes)
    assert coef.shape[1] == n_outputs(n_classes)
    return loss(coef.ravel())[0] + l1_ratio / (C * n) * np.abs(model.coef_).sum()


@contextmanager
def counting_gradients():
    """Count objective+gradient evaluations of both libraries' loss layers."""
    counts = {"n": 0}
    patched = [
        (LinearLoss, "__call__"),
        (LinearModelLoss, "loss_gradient"),
        (LinearModelLoss, "gradient_hessian"),
    ]
    originals = [getattr(cls, name) for cls, name in patched]

    def counter(method):
        def wrapper(*args, **kwargs):
            counts["n"] += 1
            return method(*args, **kwargs)

        return wrapper

    for (cls, name), original in zip(patched, originals, strict=True):
        setattr(cls, name, counter(original))
    try:
        yield counts
    finally:
        for (cls, name), original in zip(patched, originals, strict=True):
            setattr(cls, name, original)


def fit_timed(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        return time.perf_counter() - start


def peak_memory(model, X, y):
    """Peak bytes allocated by fit (tracemalloc; NumPy reports its buffers)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fit_timed(model, X, y)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def applicable(competitor, X, y):
    if competitor.binary_only and len(np.unique(y)) > 2:
        return False
    return not (competitor.dense_hessian and X.shape[1] > 5000)


def reference_optimum(X, y, fitted_objectives):
    """Best of a tight solve and every fit of the run.

    The tight solve is Newton-Cholesky at ``tol=1e-12`` where the Hessian fits
    (it handles the ill-conditioned sets that first-order methods take long
    on), else sklogreg's lbfgs at ``tol=1e-10``.
    """
    newton = COMPETITORS["sklearn newton-cholesky"]
    if applicable(newton, X, y):
        tight = [newton.at(C, X.shape[0], 100).set_params(tol=1e-12)]
    else:
        tight = [GradientDescentLogisticRegression(C=C, tol=1e-10, max_iter=20_000)]
    values = []
    for model in tight:
        fit_timed(model, X, y)
        values.append(objective(model, X, y))
    return min(values + list(fitted_objectives))


def run_dataset(name, X, y, repeats, curve_budget, slow):
    n = X.shape[0]
    competitors = {k: c for k, c in COMPETITORS.items() if applicable(c, X, y)}
    rows = {k: {"data": name, "competitor": k} for k in competitors}

    times = {k: [] for k in competitors}
    models, counts = {}, {}
    for repeat in range(repeats):  # interleaved, so that load affects all alike
        for key, competitor in competitors.items():
            if repeat and times[key][0] > slow:
                continue  # one fit of a slow competitor is enough
            model = competitor.default(C, n)
            with counting_gradients() as counted:
                times[key].append(fit_timed(model, X, y))
            models[key], counts[key] = model, counted["n"]
    f_reference = objective(models[REFERENCE], X, y)
    for key, competitor in competitors.items():
        memory = ""
        if times[key][0] <= slow:
            memory = peak_memory(competitor.default(C, n), X, y) / 2**20
        rows[key].update(
            default_fit_s=float(np.median(times[key])),
            ratio_to_sklearn=float(np.median(times[key]) / np.median(times[REFERENCE])),
            objective_vs_sklearn=(objective(models[key], X, y) - f_reference)
            / f_reference,
            n_iter=int(np.max(models[key].n_iter_)),
            gradient_evals=counts[key] or "",
            peak_memory_mb=memory,
        )

    curves = {}
    for key, competitor in competitors.items():
        points = []
        for max_iter in ITERATIONS:
            model = competitor.at(C, n, max_iter)
            seconds = fit_timed(model, X, y)
            points.append((seconds, objective(model, X, y)))
            if seconds > curve_budget:
                break
        curves[key] = points
    f_star = reference_optimum(
        X, y, [f for points in curves.values() for _, f in points]
    )
    for key, points in curves.items():
        subopt = [(t, max((f - f_star) / abs(f_star), 1e-16)) for t, f in points]
        curves[key] = subopt
        reached = [t for t, s in subopt if s <= TARGET]
        rows[key]["time_to_1e-6_s"] = min(reached) if reached else ""
    return list(rows.values()), curves


# before scikit-learn 1.8, l1_ratio counted only with penalty="elasticnet"
SAGA_PENALTY = (
    {"penalty": "elasticnet"}
    if tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 8)
    else {}
)
L1_PROBLEMS = {  # data set: C, with l1_ratio=1
    "splice one-hot": 0.1,
    "breast_cancer std": 0.1,
    "digits (10 classes)": 0.05,
    "sparse tf-idf": 1.0,
}


def l1_section(full, names, curve_budget):
    """L1 (``l1_ratio=1``): saga against sklogreg's proximal solvers."""
    competitors = {
        "sklearn saga": lambda C, **kw: LogisticRegression(
            solver="saga", C=C, l1_ratio=1.0, **kw
        ).set_params(**SAGA_PENALTY),
        "sklogreg agd": lambda C, **kw: GradientDescentLogisticRegression(
            solver="agd", C=C, l1_ratio=1.0, **kw
        ),
        "sklogreg gd": lambda C, **kw: GradientDescentLogisticRegression(
            solver="gd", C=C, l1_ratio=1.0, **kw
        ),
    }
    rows = []
    for name, C in L1_PROBLEMS.items():
        if name not in names:
            continue
        X, y = DATASETS[name](full)
        defaults, points = {}, {}
        for key, make in competitors.items():
            model = make(C)
            defaults[key] = (fit_timed(model, X, y), objective(model, X, y, C, 1.0))
            points[key] = []
            for max_iter in ITERATIONS:
                model = make(C, tol=0.0, max_iter=max_iter)
                seconds = fit_timed(model, X, y)
                points[key].append((seconds, objective(model, X, y, C, 1.0)))
                if seconds > curve_budget:
                    break
        tight = competitors["sklogreg agd"](C, tol=1e-10, max_iter=100_000)
        fit_timed(tight, X, y)
        f_star = min(
            [objective(tight, X, y, C, 1.0)]
            + [f for p in points.values() for _, f in p]
        )
        for key in competitors:
            reached = [t for t, f in points[key] if (f - f_star) / f_star <= TARGET]
            rows.append(
                {
                    "data": name,
                    "C": C,
                    "competitor": key,
                    "default_fit_s": defaults[key][0],
                    "default_objective_vs_optimum": (defaults[key][1] - f_star)
                    / f_star,
                    "time_to_1e-6_s": min(reached) if reached else "",
                    "nonzero_coefs": np.count_nonzero(tight.coef_),
                }
            )
    return rows


def per_gradient(full):
    """Cost of one objective+gradient in multiples of one X @ w."""
    results = []
    for label, (X, y) in [
        ("dense float64", gradient_data(full, np.float64)),
        ("dense float32", gradient_data(full, np.float32)),
        ("sparse tf-idf", sparse_tfidf(full)),
    ]:
        n, d = X.shape
        rng = np.random.default_rng(0)
        w = (rng.normal(size=d) * 0.1).astype(X.dtype)
        coef = np.append(w, X.dtype.type(0.1))
        ours = LinearLoss(
            X, y.astype(X.dtype), np.full(n, 1.0 / n, dtype=X.dtype), 1e-6, True, 2
        )
        theirs = LinearModelLoss(HalfBinomialLoss(), fit_intercept=True)
        y_float = y.astype(X.dtype)

        matvec, _ = best_time(lambda X=X, w=w: X @ w)
        evaluation, _ = best_time(lambda f=ours, c=coef: f(c))
        reference, _ = best_time(
            lambda f=theirs.loss_gradient, c=coef, X=X, y=y_float: f(
                c, X, y, None, 1e-6
            )
        )
        results.append(
            {
                "data": f"{label} {n} x {d}",
                "X @ w (ms)": 1e3 * matvec,
                "sklogreg objective+gradient / X @ w": evaluation / matvec,
                "scikit-learn loss_gradient / X @ w": reference / matvec,
            }
        )
    X, y = gradient_data(full, np.float64)
    peak = peak_memory(GradientDescentLogisticRegression(), X, y)
    memory = {
        "data": f"{X.shape[0]} x {X.shape[1]}",
        "X (MB)": X.nbytes / 2**20,
        "peak of fit (MB)": peak / 2**20,
        "peak / size(X)": peak / X.nbytes,
    }
    return results, memory


def plot(name, curves, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, points in curves.items():
        if points:
            t, s = zip(*sorted(points), strict=True)
            style = "-o" if key.startswith("sklogreg") else "--s"
            ax.loglog(t, s, style, label=key, markersize=3)
    ax.axhline(TARGET, color="grey", linewidth=0.5)
    ax.set_xlabel("fit time (s)")
    ax.set_ylabel("relative suboptimality")
    ax.set_title(name)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def markdown(rows, columns):
    def cell(v):
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += [
        "| " + " | ".join(cell(r.get(c, "")) for c in columns) + " |" for r in rows
    ]
    return "\n".join(lines)


def machine():
    lines = [
        f"python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores"
    ]
    for pool in threadpool_info():
        lines.append(
            f"{pool['internal_api']} {pool.get('version')} "
            f"({pool.get('architecture', '')}) threads={pool['num_threads']}"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes")
    parser.add_argument("--datasets", nargs="*", help="names (default: all)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.full else 3)
    curve_budget = 20.0 if args.full else 2.0
    slow = 60.0 if args.full else 3.0  # seconds: fit once, no memory run
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    report = [
        "# Benchmark results",
        "",
        "Command: `python benchmarks/run.py" + (" --full" if args.full else "") + "`",
        "",
    ]
    report += ["Machine: " + "; ".join(machine()), ""]
    print("\n".join(report), flush=True)
    all_rows = []
    names = args.datasets or available()
    for name in names:
        X, y = DATASETS[name](args.full)
        start = time.perf_counter()
        rows, curves = run_dataset(name, X, y, repeats, curve_budget, slow)
        all_rows += rows
        shape = f"{X.shape[0]} x {X.shape[1]}{' sparse' if sp.issparse(X) else ''}"
        section = [f"## {name} ({shape}, {len(np.unique(y))} classes)", ""]
        section.append(
            markdown(
                rows,
                [
                    "competitor",
                    "default_fit_s",
                    "ratio_to_sklearn",
                    "objective_vs_sklearn",
                    "n_iter",
                    "gradient_evals",
                    "peak_memory_mb",
                    "time_to_1e-6_s",
                ],
            )
        )
        png = out / (name.replace(" ", "_").replace("(", "").replace(")", "") + ".png")
        if plot(name, curves, png):
            section += ["", f"![{name}]({png.name})"]
        section.append("")
        print("\n".join(section), f"({time.perf_counter() - start:.0f} s)", flush=True)
        report += section

    l1_rows = l1_section(args.full, names, curve_budget)
    if l1_rows:
        section = [
            "## L1 penalty (l1_ratio=1): saga against proximal gradient",
            "",
            markdown(l1_rows, list(l1_rows[0])),
            "",
        ]
        print("\n".join(section), flush=True)
        report += section
        all_rows += l1_rows

    gradients, memory = per_gradient(args.full)
    section = [
        "## One objective+gradient evaluation",
        "",
        markdown(gradients, list(gradients[0])),
        "",
        "## Peak memory of a default fit",
        "",
        markdown([memory], list(memory)),
        "",
    ]
    print("\n".join(section), flush=True)
    report += section

    (out / "summary.md").write_text("\n".join(report))
    columns = sorted({k for r in all_rows for k in r}, key=str)
    with open(out / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(all_rows)
    print(f"wrote {out}/summary.md, results.csv and the PNGs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
