"""LossCurveDisplay."""

import matplotlib
import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklogreg import GradientDescentLogisticRegression
from sklogreg.plotting import LossCurveDisplay

matplotlib.use("Agg")


@pytest.mark.parametrize("solver", ["lbfgs", "gd"])
def test_display_lines_are_the_fitted_curves(solver):
    import matplotlib.pyplot as plt

    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(), GradientDescentLogisticRegression(solver=solver)
    )
    pipe.fit(X, y)
    model = pipe[-1]
    _, ax = plt.subplots()
    display = LossCurveDisplay.from_estimator(pipe, ax=ax)
    assert display.ax_ is ax
    np.testing.assert_array_equal(display.loss_line_.get_ydata(), model.loss_curve_)
    np.testing.assert_array_equal(
        display.gradient_line_.get_ydata(), model.gradient_curve_
    )
    np.testing.assert_array_equal(
        display.loss_line_.get_xdata(), np.arange(1, model.n_iter_[0] + 1)
    )
    assert ax.get_yscale() == "log"
    assert model.gradient_curve_[-1] <= model.tol  # converged: the tol line is met
    plt.close("all")


def test_display_needs_a_fitted_estimator():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(GradientDescentLogisticRegression())
