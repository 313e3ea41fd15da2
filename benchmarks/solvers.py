"""The competitors: how to build each one with default settings and per budget.

Every competitor minimises the same objective (scikit-learn's
``LogisticRegression`` with ``C``), except ``SGDClassifier`` on more than two
classes, which fits one-vs-rest models and is left out there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sklearn.linear_model import LogisticRegression, SGDClassifier

from sklogreg import GradientDescentLogisticRegression

# the curves: one independent fit per iteration budget (epochs for SGD, saga),
# doubling until a fit takes longer than the run's time budget
ITERATIONS = [2**k for k in range(18)]


@dataclass(frozen=True)
class Competitor:
    """``default(C, n)`` builds it as a user would; ``at(C, n, max_iter)`` runs
    exactly ``max_iter`` iterations (no tolerance) for the curves."""

    default: Callable
    at: Callable
    binary_only: bool = False
    dense_hessian: bool = False  # needs n_features^2 memory: skipped on wide data


def _logistic(solver):
    return Competitor(
        default=lambda C, n: LogisticRegression(C=C, solver=solver),
        at=lambda C, n, max_iter: LogisticRegression(
            C=C, solver=solver, tol=0.0, max_iter=max_iter
        ),
        dense_hessian=solver == "newton-cholesky",
    )


def _sklogreg(solver):
    return Competitor(
        default=lambda C, n: GradientDescentLogisticRegression(C=C, solver=solver),
        at=lambda C, n, max_iter: GradientDescentLogisticRegression(
            C=C, solver=solver, tol=0.0, max_iter=max_iter
        ),
    )


def _sgd_alpha(C, n):
    return 1.0 / (C * n)  # SGD's alpha / 2 ||w||^2 next to the mean loss


COMPETITORS = {
    "sklearn lbfgs": _logistic("lbfgs"),
    "sklearn newton-cholesky": _logistic("newton-cholesky"),
    "sklearn saga": _logistic("saga"),
    "sklearn SGD": Competitor(
        default=lambda C, n: SGDClassifier(
            loss="log_loss", alpha=_sgd_alpha(C, n), random_state=0
        ),
        at=lambda C, n, max_iter: SGDClassifier(
            loss="log_loss",
            alpha=_sgd_alpha(C, n),
            max_iter=max_iter,
            tol=None,
            random_state=0,
        ),
        binary_only=True,
    ),
    "sklogreg lbfgs": _sklogreg("lbfgs"),
    "sklogreg agd": _sklogreg("agd"),
    "sklogreg gd": _sklogreg("gd"),
}

REFERENCE = "sklearn lbfgs"  # LogisticRegression(): what the ratios divide by
OURS_DEFAULT = "sklogreg lbfgs"  # GradientDescentLogisticRegression()
