"""Loss-curve plot in scikit-learn's Display style (matplotlib is optional)."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._array_api import to_numpy

__all__ = ["LossCurveDisplay"]


class LossCurveDisplay:
    """Objective and largest gradient component per iteration, log scale.

    Create it with :meth:`from_estimator`; the plot is stored in ``ax_``.

    Parameters
    ----------
    loss_curve : ndarray of shape (n_iter,)
        Objective after each iteration (``loss_curve_``).
    gradient_curve : ndarray of shape (n_iter,) or None, default=None
        Largest absolute gradient component after each iteration
        (``gradient_curve_``); the quantity that ``tol`` bounds.
    tol : float or None, default=None
        Drawn as a horizontal line when given.
    estimator_name : str or None, default=None
        Used in the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure of ``ax_``.
    loss_line_ : matplotlib Line2D
        The objective.
    gradient_line_ : matplotlib Line2D or None
        The gradient curve.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklogreg import GradientDescentLogisticRegression
    >>> from sklogreg.plotting import LossCurveDisplay
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = GradientDescentLogisticRegression().fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> bool(len(display.loss_line_.get_ydata()) == clf.n_iter_[0])
    True
    """

    def __init__(
        self, *, loss_curve, gradient_curve=None, tol=None, estimator_name=None
    ):
        self.loss_curve = loss_curve
        self.gradient_curve = gradient_curve
        self.tol = tol
        self.estimator_name = estimator_name

    def plot(self, ax=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.

        Returns
        -------
        display : LossCurveDisplay
            The object, with ``ax_``, ``figure_`` and the lines set.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as error:
            raise ImportError(
                "LossCurveDisplay needs matplotlib: pip install 'sklogreg[plot]'"
            ) from error

        if ax is None:
            _, ax = plt.subplots()
        iterations = np.arange(1, len(self.loss_curve) + 1)
        (self.loss_line_,) = ax.plot(iterations, self.loss_curve, label="objective")
        self.gradient_line_ = None
        if self.gradient_curve is not None:
            (self.gradient_line_,) = ax.plot(
                iterations, self.gradient_curve, label="max |gradient|"
            )
        if self.tol:
            ax.axhline(self.tol, color="grey", linestyle=":", label=f"tol={self.tol}")
        ax.set_yscale("log")
        ax.set_xlabel("iteration")
        ax.set_title(self.estimator_name or "loss curve")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None):
        """Plot the curves of a fitted estimator.

        Parameters
        ----------
        estimator : GradientDescentLogisticRegression or Pipeline ending in one
            A fitted estimator with ``loss_curve_`` and ``gradient_curve_``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.

        Returns
        -------
        display : LossCurveDisplay
        """
        if hasattr(estimator, "steps"):  # a Pipeline: its last step
            estimator = estimator[-1]
        check_is_fitted(estimator, "loss_curve_")
        name = type(estimator).__name__
        if hasattr(estimator, "solver"):
            name = f"{name} (solver={estimator.solver!r})"
        gradient_curve = getattr(estimator, "gradient_curve_", None)
        return cls(  # curves of a fit on a GPU come to the host for matplotlib
            loss_curve=to_numpy(estimator.loss_curve_),
            gradient_curve=None if gradient_curve is None else to_numpy(gradient_curve),
            tol=getattr(estimator, "tol", None),
            estimator_name=name,
        ).plot(ax=ax)
