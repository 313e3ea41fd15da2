"""sklogreg: logistic regression trained by hand-written batch gradients."""

from ._estimator import GradientDescentLogisticRegression

__all__ = ["GradientDescentLogisticRegression", "__version__"]
__version__ = "0.1.0"
