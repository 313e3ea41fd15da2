"""``python -m sklogreg``: fit a bundled data set and compare with scikit-learn."""

import argparse
import sys
import time

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import GradientDescentLogisticRegression


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklogreg",
        description=(
            "Fit GradientDescentLogisticRegression and scikit-learn's "
            "LogisticRegression on the breast cancer data that ships with "
            "scikit-learn (standardised, 75/25 split) and print both side by side."
        ),
    )
    parser.add_argument(
        "--solver",
        default="lbfgs",
        choices=["lbfgs", "agd", "gd"],
        help="sklogreg solver (default: %(default)s)",
    )
    parser.add_argument(
        "--C", type=float, default=1.0, help="inverse penalty strength (default: 1)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of the split (default: 0)"
    )
    return parser


def _evaluate(model, X_train, X_test, y_train, y_test):
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    return {
        "train accuracy": model.score(X_train, y_train),
        "test accuracy": model.score(X_test, y_test),
        "test log-loss": log_loss(y_test, model.predict_proba(X_test)),
        "iterations": int(model[-1].n_iter_[0]),
        "fit time (s)": seconds,
    }


def main(argv=None):
    """Run the demo; return the exit code."""
    args = _parser().parse_args(argv)
    X, y = load_breast_cancer(return_X_y=True)
    split = train_test_split(X, y, test_size=0.25, random_state=args.seed, stratify=y)
    models = {
        f"sklogreg ({args.solver})": GradientDescentLogisticRegression(
            C=args.C, solver=args.solver
        ),
        "scikit-learn": LogisticRegression(C=args.C),
    }
    results = {
        name: _evaluate(make_pipeline(StandardScaler(), model), *split)
        for name, model in models.items()
    }
    print(f"breast cancer: {X.shape[0]} samples, {X.shape[1]} features, C={args.C}")
    print(f"{'':16s}" + "".join(f"{name:>22s}" for name in results))
    for metric in next(iter(results.values())):
        cells = "".join(f"{r[metric]:>22.4g}" for r in results.values())
        print(f"{metric:16s}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
