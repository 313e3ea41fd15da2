"""scikit-learn's own estimator checks, for every solver, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklogreg import GradientDescentLogisticRegression

ESTIMATORS = [GradientDescentLogisticRegression()] + [
    GradientDescentLogisticRegression(solver=solver) for solver in ("gd", "agd")
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
