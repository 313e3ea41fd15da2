"""``python -m sklogreg``: the estimator at work next to scikit-learn's.

- ``python -m sklogreg``: breast cancer data (ships with scikit-learn) in a
  standardising Pipeline; scores of both models side by side and a PNG of the
  loss curve when matplotlib is installed.
- ``python -m sklogreg splice PATH``: the tutorial this project started from,
  on the UCI splice-junction file.
"""

import argparse
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from . import GradientDescentLogisticRegression
from .datasets import load_splice

TUTORIAL = {"train": 98.26, "test": 96.88}  # the accuracies the tutorial reported
TUTORIAL_SETTINGS = {
    "C": np.inf,
    "solver": "gd",
    "learning_rate": 0.1,
    "max_iter": 300,
    "tol": 0,
}


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklogreg",
        description=(
            "Without a command: fit GradientDescentLogisticRegression and "
            "scikit-learn's LogisticRegression on the breast cancer data that ships "
            "with scikit-learn (standardised in a Pipeline, 75/25 split), print "
            "both side by side and save a PNG of the loss curve (with matplotlib)."
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
    parser.add_argument(
        "--plot",
        default="sklogreg-loss-curve.png",
        metavar="PNG",
        help="where to save the loss curve (default: %(default)s)",
    )
    parser.add_argument(
        "--no-plot", action="store_true", help="do not save the loss curve"
    )
    commands = parser.add_subparsers(dest="command", metavar="command")
    splice = commands.add_parser(
        "splice",
        help="the splice-junction tutorial, end to end",
        description=(
            "Reproduce the tutorial: parse the UCI splice-junction file, one-hot "
            "encode the 60 nucleotides in a Pipeline (the columns of all rows, 287, "
            "as the tutorial), split EI vs IE 75/25 (random_state=0), and fit with "
            "the tutorial's settings (C=inf, solver='gd', learning_rate=0.1, "
            "max_iter=300, tol=0), with the defaults, with an L1 penalty (FISTA, "
            "C=1 and 0.1: how many columns survive) and with scikit-learn; then "
            "the three classes with the multinomial model, cross-validated."
        ),
    )
    splice.add_argument("path", help="the splice.data file")
    splice.add_argument(
        "--cv", type=int, default=5, help="folds for the 3-class run (default: 5)"
    )
    return parser


def _fit_scores(model, X_train, X_test, y_train, y_test):
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    return {
        "train": 100 * model.score(X_train, y_train),
        "test": 100 * model.score(X_test, y_test),
        "iterations": int(model[-1].n_iter_[0]),
        "seconds": seconds,
    }


def demo(args):
    """Breast cancer, both models side by side; the loss-curve PNG."""
    X, y = load_breast_cancer(return_X_y=True)
    split = train_test_split(X, y, test_size=0.25, random_state=args.seed, stratify=y)
    X_train, X_test, y_train, y_test = split
    models = {
        f"sklogreg ({args.solver})": make_pipeline(
            StandardScaler(),
            GradientDescentLogisticRegression(C=args.C, solver=args.solver),
        ),
        "scikit-learn": make_pipeline(StandardScaler(), LogisticRegression(C=args.C)),
    }
    rows = {}
    for name, model in models.items():
        scores = _fit_scores(model, *split)
        rows[name] = {
            "train accuracy": scores["train"] / 100,
            "test accuracy": scores["test"] / 100,
            "test log-loss": log_loss(y_test, model.predict_proba(X_test)),
            "iterations": scores["iterations"],
            "fit time (s)": scores["seconds"],
        }
    print(f"breast cancer: {X.shape[0]} samples, {X.shape[1]} features, C={args.C}")
    print(f"{'':16s}" + "".join(f"{name:>22s}" for name in rows))
    for metric in next(iter(rows.values())):
        cells = "".join(f"{row[metric]:>22.4g}" for row in rows.values())
        print(f"{metric:16s}{cells}")
    if not args.no_plot:
        _save_loss_curve(next(iter(models.values())), args.plot)
    return 0


def _save_loss_curve(model, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: matplotlib is not installed (pip install 'sklogreg[plot]')")
        return
    from .plotting import LossCurveDisplay

    display = LossCurveDisplay.from_estimator(model)
    display.figure_.savefig(path, dpi=100)
    plt.close(display.figure_)
    print(f"loss curve saved to {path}")


def splice(args):
    """The tutorial end to end, then the three classes."""
    sequences, labels, _ = load_splice(args.path)
    # the tutorial one-hot encoded all rows: their categories, 287 columns
    categories = [np.unique(column) for column in sequences.T]

    def one_hot():
        return OneHotEncoder(categories=categories, sparse_output=False)

    counts = dict(zip(*np.unique(labels, return_counts=True), strict=True))
    print(
        f"splice-junction data: {len(labels)} sequences of {sequences.shape[1]} "
        "nucleotides (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")"
    )
    donor_acceptor = np.isin(labels, ["EI", "IE"])
    split = train_test_split(
        sequences[donor_acceptor],
        labels[donor_acceptor],
        test_size=0.25,
        random_state=0,
    )
    n_columns = sum(len(c) for c in categories)
    print(
        f"EI vs IE: {donor_acceptor.sum()} sequences, one-hot {n_columns} columns, "
        f"{len(split[2])} train / {len(split[3])} test"
    )
    header = ["train", "test", "iterations", "fit (s)", "nonzero"]
    print(f"{'':38s}" + "".join(f"{h:>11s}" for h in header))
    reported = TUTORIAL["train"], TUTORIAL["test"]
    print(f"{'tutorial (reported)':38s}{reported[0]:10.2f}%{reported[1]:10.2f}%")
    runs = {
        "sklogreg, tutorial settings": GradientDescentLogisticRegression(
            **TUTORIAL_SETTINGS
        ),
        "sklogreg, defaults": GradientDescentLogisticRegression(),
        "scikit-learn LogisticRegression()": LogisticRegression(),
    }
    lasso = {  # L1 by FISTA: how many of the columns survive
        f"sklogreg, L1 (agd, l1_ratio=1, C={C:g})": GradientDescentLogisticRegression(
            solver="agd", l1_ratio=1.0, C=C, tol=1e-6, max_iter=10_000
        )
        for C in (1.0, 0.1)
    }
    for name, estimator in {**runs, **lasso}.items():
        pipeline = make_pipeline(one_hot(), estimator)
        scores = _fit_scores(pipeline, *split)
        nonzero = f"{np.count_nonzero(pipeline[-1].coef_)}/{n_columns}"
        print(
            f"{name:38s}{scores['train']:10.2f}%{scores['test']:10.2f}%"
            f"{scores['iterations']:11d}{scores['seconds']:11.3f}{nonzero:>11s}"
        )

    print(
        f"\nall three classes (multinomial), {args.cv}-fold cross-validated accuracy:"
    )
    for name, estimator in list(runs.items())[1:]:
        scores = cross_val_score(
            make_pipeline(one_hot(), estimator), sequences, labels, cv=args.cv
        )
        print(f"{name:38s}{100 * scores.mean():8.2f}% +/- {100 * scores.std():.2f}%")
    return 0


def main(argv=None):
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "splice":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # unknown categories
                return splice(args)
        except (OSError, ValueError) as error:
            print(f"python -m sklogreg splice: error: {error}", file=sys.stderr)
            return 2
    return demo(args)


if __name__ == "__main__":
    sys.exit(main())
