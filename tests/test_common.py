"""scikit-learn's own estimator checks, for every solver, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklogreg import GradientDescentLogisticRegression

ESTIMATORS = [GradientDescentLogisticRegression()] + [
    GradientDescentLogisticRegression(solver=solver, l1_ratio=l1_ratio)
    for solver in ("gd", "agd")
    for l1_ratio in (0.0, 0.5, 1.0)
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
