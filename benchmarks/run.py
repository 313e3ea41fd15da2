"""Default-settings fit time of every sklogreg solver against scikit-learn.

Usage: ``python benchmarks/run.py [--repeats N]``.  Fixed seeds, no network.
Prints a markdown table: median fit time of each estimator with its default
settings (``tol=1e-4``), the ratio to ``LogisticRegression()`` measured in the
same run (interleaved repeats), iterations, and the final objective relative to
scikit-learn's.  The fuller suite of the speed issue builds on this.
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

from sklogreg import GradientDescentLogisticRegression
from sklogreg._loss import linear_loss_gradient


def datasets():
    X, y = load_breast_cancer(return_X_y=True)
    yield "breast_cancer std", StandardScaler().fit_transform(X), y
    X, y = load_digits(return_X_y=True)
    yield "digits std (10 classes)", StandardScaler().fit_transform(X), y
    X, y = make_classification(50_000, 50, n_informative=20, random_state=0)
    yield "synthetic 50k x 50 std", StandardScaler().fit_transform(X), y
    X, y = make_classification(
        20_000, 40, n_informative=20, n_classes=5, random_state=0
    )
    yield "synthetic 5-class 20k x 40", StandardScaler().fit_transform(X), y


def objective(model, X, y, C=1.0):
    """sklearn's objective at a fitted model (binary or multinomial)."""
    classes, y_index = np.unique(y, return_inverse=True)
    n = len(y)
    if len(classes) == 2:
        coef = np.vstack([model.coef_.T, model.intercept_[None, :]]).ravel()
        target = y_index.astype(float)
    else:
        coef = np.vstack([model.coef_.T, model.intercept_[None, :]]).ravel()
        target = y_index
    f, _ = linear_loss_gradient(
        coef, X, target, np.full(n, 1 / n), 1 / (C * n), True, len(classes)
    )
    return f


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    for pool in threadpool_info():
        print(
            f"  {pool['internal_api']} {pool.get('version')} "
            f"threads={pool['num_threads']}"
        )
    estimators = {
        "sklearn lbfgs": LogisticRegression,
        "sklogreg lbfgs": lambda: GradientDescentLogisticRegression(solver="lbfgs"),
        "sklogreg agd": lambda: GradientDescentLogisticRegression(solver="agd"),
        "sklogreg gd": lambda: GradientDescentLogisticRegression(solver="gd"),
    }
    print(
        "\n| data | estimator | median fit (s) | ratio to sklearn | iterations "
        "| objective - sklearn's (rel.) |"
    )
    print("|---|---|---|---|---|---|")
    for name, X, y in datasets():
        times = {key: [] for key in estimators}
        fitted = {}
        for _ in range(args.repeats):
            for key, make in estimators.items():  # interleaved
                model = make()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    start = time.perf_counter()
                    model.fit(X, y)
                    times[key].append(time.perf_counter() - start)
                fitted[key] = model
        reference_time = np.median(times["sklearn lbfgs"])
        reference_f = objective(fitted["sklearn lbfgs"], X, y)
        for key in estimators:
            median = np.median(times[key])
            rel = (objective(fitted[key], X, y) - reference_f) / reference_f
            print(
                f"| {name} | {key} | {median:.4f} | {median / reference_time:.2f} "
                f"| {int(fitted[key].n_iter_[0])} | {rel:+.1e} |"
            )


if __name__ == "__main__":
    main()
