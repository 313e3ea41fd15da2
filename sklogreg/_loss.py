"""Logistic losses on the raw prediction ``z = X @ w + b``, and the linear layer.

The first part of this module is pure elementwise math on ``z``: a numerically
stable sigmoid and softmax (and their logarithms), the binary log-loss and the
multinomial cross-entropy, each with its gradient with respect to ``z``.  They
are finite and accurate for every finite ``z`` up to ``|z| = 1e300`` and raise
no floating point warning.

The second part is the one place where ``X``, the intercept, the sample weights
and the L2 penalty enter: :class:`LinearLoss` maps a flat coefficient vector to
the objective and its gradient (:func:`linear_loss_gradient` for one call).

Everything is written against the array namespace of the inputs
(scikit-learn's ``get_namespace``): NumPy by default, PyTorch, CuPy or
array-api-strict arrays when scikit-learn's ``array_api_dispatch`` is on, so
the same code computes on the device of the data.  In-place operators keep
NumPy's memory traffic low; ``exp`` is written in place where the namespace
can (scikit-learn's ``_modify_in_place_if_numpy``).

Stability notes (the forms used below, all exact rewrites):

- ``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))``: ``exp`` only ever sees a
  non-positive argument, so it cannot overflow, and ``log1p`` keeps the tiny
  tail accurate.
- the binary log-loss ``log(1 + exp(z)) - y z`` is evaluated as
  ``(1 - y) z + log1p(exp(-z))`` for ``z > 0`` and ``-y z + log1p(exp(z))``
  otherwise, so that ``y = 1, z = 40`` gives ``exp(-40)`` rather than ``0``.
- the gradient ``sigmoid(z) - y`` is evaluated as one fraction
  ``((1 - y) - y e) / (1 + e)`` with ``e = exp(-z)`` for ``z >= 0`` (and the
  mirrored form for ``z < 0``), so no two nearly equal numbers are subtracted.
- softmax and log-softmax subtract the row maximum first.
"""

import math

import numpy as np
import scipy.sparse as sp
from sklearn.utils._array_api import _asarray_with_order, _modify_in_place_if_numpy

from ._array_api import get_namespace, get_namespace_and_device, max_float_dtype

__all__ = [
    "sigmoid",
    "log_sigmoid",
    "softmax",
    "log_softmax",
    "binary_loss",
    "binary_loss_gradient",
    "multinomial_loss",
    "multinomial_loss_gradient",
    "LinearLoss",
    "linear_loss_gradient",
    "n_outputs",
    "separates",
]


def _as_array(z):
    """``z`` as an array of its namespace, and that namespace."""
    xp, _ = get_namespace(z)
    return xp.asarray(z), xp


def _exp_neg_abs(z, xp):
    """Return ``exp(-|z|)``, which lies in (0, 1] and cannot overflow."""
    return xp.exp(-xp.abs(z))


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, stable for any finite ``z``.

    Parameters
    ----------
    z : ndarray
        Raw predictions.

    Returns
    -------
    p : ndarray of the same shape and floating dtype as ``z``
        Values in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import sigmoid
    >>> sigmoid(np.array([-1e300, 0.0, 1e300]))
    array([0. , 0.5, 1. ])
    """
    z, xp = _as_array(z)
    e = _exp_neg_abs(z, xp)
    return xp.where(z >= 0, 1.0, e) / (1.0 + e)


def log_sigmoid(z):
    """``log(sigmoid(z)) = -log(1 + exp(-z))``, stable for any finite ``z``.

    Parameters
    ----------
    z : ndarray
        Raw predictions.

    Returns
    -------
    out : ndarray of the same shape as ``z``
        Values in (-inf, 0]; ``log_sigmoid(-1e300) == -1e300``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import log_sigmoid
    >>> log_sigmoid(np.array([-1e300, 0.0]))
    array([-1.00000000e+300, -6.93147181e-001])
    """
    z, xp = _as_array(z)
    return xp.where(z < 0, z, 0.0) - xp.log1p(_exp_neg_abs(z, xp))


def _shifted_exp(z, xp):
    """Return ``z - max``, ``exp(z - max)`` and ``logsumexp(z) - max`` per row.

    The log-sum is ``log1p`` of the sum of the exponentials other than the
    row's (first) maximum, which is exactly 1, so that a row dominated by one
    entry keeps its tiny loss instead of rounding ``log(1 + tiny)`` to 0.
    """
    shifted = z - xp.max(z, axis=1, keepdims=True)
    e = xp.exp(shifted)
    first_max = _is_column(z, xp.argmax(z, axis=1), xp)
    log_sum = xp.log1p(xp.sum(xp.where(first_max, 0.0, e), axis=1))
    return shifted, e, log_sum


def softmax(z):
    """Row-wise softmax of a 2-D array, stable for any finite ``z``.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes)
        Raw predictions.

    Returns
    -------
    p : ndarray of shape (n_samples, n_classes)
        Rows are non-negative and sum to one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import softmax
    >>> softmax(np.array([[1e300, 0.0, -1e300]]))
    array([[1., 0., 0.]])
    """
    z, xp = _as_array(z)
    _, e, _ = _shifted_exp(z, xp)
    e /= xp.sum(e, axis=1, keepdims=True)
    return e


def log_softmax(z):
    """Row-wise ``log(softmax(z))``, stable for any finite ``z``.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes)
        Raw predictions.

    Returns
    -------
    out : ndarray of shape (n_samples, n_classes)
        Values in (-inf, 0].

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import log_softmax
    >>> log_softmax(np.array([[0.0, 0.0]]))
    array([[-0.69314718, -0.69314718]])
    """
    z, xp = _as_array(z)
    shifted, _, log_sum = _shifted_exp(z, xp)
    return shifted - log_sum[:, None]


def binary_loss(z, y):
    """Binary log-loss ``log(1 + exp(z)) - y z`` for targets ``y`` in [0, 1].

    Parameters
    ----------
    z : ndarray
        Raw predictions (log-odds of the positive class).
    y : ndarray of the same shape as ``z``
        Targets, 1 for the positive class and 0 for the negative one.

    Returns
    -------
    loss : ndarray of the same shape as ``z``
        Non-negative pointwise losses.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import binary_loss
    >>> binary_loss(np.array([0.0, 40.0, -1e300]), np.array([1.0, 1.0, 1.0]))
    array([6.93147181e-001, 4.24835426e-018, 1.00000000e+300])
    """
    z, xp = _as_array(z)
    linear = xp.where(z > 0, (1 - y) * z, -y * z)
    return linear + xp.log1p(_exp_neg_abs(z, xp))


def binary_loss_gradient(z, y):
    """Binary log-loss and its derivative ``sigmoid(z) - y`` with respect to ``z``.

    Parameters
    ----------
    z : ndarray
        Raw predictions (log-odds of the positive class).
    y : ndarray of the same shape as ``z``
        Targets in [0, 1].

    Returns
    -------
    loss : ndarray of the same shape as ``z``
        Pointwise losses, as :func:`binary_loss`.
    gradient : ndarray of the same shape as ``z``
        ``sigmoid(z) - y``, computed without cancellation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import binary_loss_gradient
    >>> loss, grad = binary_loss_gradient(np.array([0.0, 40.0]), np.ones(2))
    >>> grad
    array([-5.00000000e-01, -4.24835426e-18])
    """
    z, xp = _as_array(z)
    e = _exp_neg_abs(z, xp)
    positive = z > 0
    loss = xp.where(positive, (1 - y) * z, -y * z) + xp.log1p(e)
    numerator = xp.where(positive, (1 - y) - y * e, (1 - y) * e - y)
    return loss, numerator / (1 + e)


def multinomial_loss(z, y):
    """Multinomial cross-entropy ``logsumexp(z_i) - z_i[y_i]`` per row.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes)
        Raw predictions.
    y : ndarray of shape (n_samples,) of int
        Class index of each row, in ``range(n_classes)``.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        Non-negative pointwise losses.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import multinomial_loss
    >>> z = np.array([[0.0, 0.0, 0.0], [1e300, 0.0, 0.0]])
    >>> multinomial_loss(z, np.array([0, 1]))
    array([1.09861229e+000, 1.00000000e+300])
    """
    z, xp = _as_array(z)
    shifted, _, log_sum = _shifted_exp(z, xp)
    return log_sum - _pick(shifted, y, xp)


def multinomial_loss_gradient(z, y):
    """Multinomial cross-entropy and its gradient ``softmax(z) - onehot(y)``.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes)
        Raw predictions.
    y : ndarray of shape (n_samples,) of int
        Class index of each row, in ``range(n_classes)``.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        Pointwise losses, as :func:`multinomial_loss`.
    gradient : ndarray of shape (n_samples, n_classes)
        ``softmax(z) - onehot(y)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import multinomial_loss_gradient
    >>> loss, grad = multinomial_loss_gradient(np.zeros((1, 2)), np.array([1]))
    >>> grad
    array([[ 0.5, -0.5]])
    """
    z, xp = _as_array(z)
    shifted, e, log_sum = _shifted_exp(z, xp)
    loss = log_sum - _pick(shifted, y, xp)
    # softmax(z)_y - 1 = -(sum of the other exponentials) / sum: no cancellation
    is_y = _is_column(z, y, xp)
    e_y = _pick(e, y, xp)
    e = xp.where(is_y, 0.0, e)
    others = xp.sum(e, axis=1)
    sum_e = others + e_y
    e /= sum_e[:, None]
    return loss, xp.where(is_y, (-others / sum_e)[:, None], e)


def _is_column(z, y, xp):
    """Boolean mask of the entries ``(i, y[i])`` of the 2-D ``z``."""
    device = get_namespace_and_device(z)[2]
    columns = xp.arange(z.shape[1], dtype=y.dtype, device=device)
    return columns == y[:, None]


def _pick(z, y, xp):
    """``z[i, y[i]]`` for every row ``i``."""
    return xp.take_along_axis(z, y[:, None], axis=1)[:, 0]


def n_outputs(n_classes):
    """Number of coefficient columns: 1 for a binary model, else ``n_classes``."""
    return 1 if n_classes <= 2 else n_classes


class LinearLoss:
    """Objective of L2-penalised logistic regression and its gradient.

    The objective of the flat coefficients ``coef`` is::

        sum_i weights_i * loss(z_i, y_i) + l2_reg_strength / 2 * ||W||^2

    with ``z = X @ W + b``.  With ``weights = s / sum(s)`` and
    ``l2_reg_strength = 1 / (C * sum(s))`` this is exactly the objective of
    scikit-learn's ``LogisticRegression``.  The intercept ``b`` is not penalised.

    Built once per fit, it precomputes what does not change between iterations
    (the sign of each binary target, the class index of each row) and evaluates
    the pointwise losses in the forms that need the fewest passes over memory:

    - binary, on the margins ``m = (2y - 1) z``:
      ``loss = max(-m, 0) + log1p(exp(-|m|))`` and
      ``dloss/dz = -(2y - 1) sigmoid(-m)``, which equal :func:`binary_loss` and
      :func:`binary_loss_gradient` for ``y`` in {0, 1};
    - multinomial, on ``z`` stored class-major, shape (n_classes, n_samples),
      so that the reductions over classes are elementwise operations over
      samples; the values equal :func:`multinomial_loss_gradient`.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : ndarray of shape (n_samples,)
        Binary: targets in {0, 1}.  Multinomial: class indices (int).
    weights : ndarray of shape (n_samples,)
        Non-negative weights of the pointwise losses (usually summing to one).
    l2_reg_strength : float
        Strength of the L2 penalty; 0 for none.
    fit_intercept : bool
        Whether the last row of the coefficients is an intercept.
    n_classes : int
        Number of classes; two gives the binary (sigmoid) model, more give the
        multinomial (softmax) model.

    Notes
    -----
    ``coef`` is the C-ordered ravel of an ``(n_dof, n_out)`` array whose first
    ``n_features`` rows are ``W`` and whose last row, when ``fit_intercept``, is
    ``b``; ``n_out`` is :func:`n_outputs`.  Calling the object returns
    ``(objective, gradient)``, the gradient of the shape and dtype of ``coef``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import LinearLoss
    >>> X = np.array([[1.0], [-1.0]])
    >>> loss = LinearLoss(X, np.array([1.0, 0.0]), np.full(2, 0.5), 0.0, True, 2)
    >>> f, g = loss(np.zeros(2))
    >>> round(f, 6), g
    (0.693147, array([-0.5,  0. ]))
    """

    def __init__(self, X, y, weights, l2_reg_strength, fit_intercept, n_classes):
        self.X = X
        self.weights = weights
        self.l2_reg_strength = l2_reg_strength
        self.fit_intercept = fit_intercept
        self.n_classes = n_classes
        self.n_out = n_outputs(n_classes)
        xp, _, device = get_namespace_and_device(weights)
        self.xp = xp
        self._wide = max_float_dtype(xp, device)  # the penalty's norm: no overflow
        self._sparse = sp.issparse(X)
        dtype = weights.dtype
        if self.n_out == 1:
            sign = 2 * xp.astype(xp.asarray(y) > 0.5, dtype) - 1
            self._half_sign = 0.5 * sign
            self._residual_scale = -sign * weights  # d loss_i / d m_i -> d / d z_i
        else:
            y = xp.reshape(xp.asarray(y), (1, -1))
            classes = xp.arange(n_classes, dtype=y.dtype, device=device)
            true = classes[:, None] == y  # (n_classes, n_samples)
            self._flat_true = xp.reshape(
                y * y.shape[1] + xp.arange(y.shape[1], dtype=y.dtype, device=device),
                (-1,),
            )
            self._true = true
            self._false = xp.astype(~true, dtype)

    def __call__(self, coef):
        """Return the objective and its gradient at the flat ``coef``."""
        xp = self.xp
        n_features = self.X.shape[1]
        n_weights = n_features * self.n_out
        w = coef[:n_weights]  # W, C-ravelled; the intercepts follow
        if self.n_out == 1:
            z = self.X @ w
            if self.fit_intercept:
                z += coef[n_weights]
            objective, residual = self._binary(z)
            grad = self.X.T @ residual
            grad_intercept = xp.sum(residual, keepdims=True)
        else:
            W = xp.reshape(w, (n_features, self.n_out))
            # class-major scores: (n_classes, n_samples), C-contiguous
            z = W.T @ self.X.T
            if self._sparse:  # scipy returns (X @ W).T, F-ordered
                z = _asarray_with_order(z, order="C", xp=xp)
            if self.fit_intercept:
                z += coef[n_weights:][:, None]
            objective, residual = self._multinomial(z)
            grad = xp.reshape((residual @ self.X).T, (-1,))
            grad_intercept = xp.sum(residual, axis=1)

        if self.l2_reg_strength > 0:
            wide = w if w.dtype == self._wide else xp.astype(w, self._wide)
            objective = objective + 0.5 * self.l2_reg_strength * (wide @ wide)
            grad += self.l2_reg_strength * w
        if self.fit_intercept:
            grad = xp.concat([grad, grad_intercept])
        return float(objective), grad  # the one read of the objective

    def _binary(self, z):
        """Weighted loss (0-d) and ``weights * dloss/dz`` from the scores
        (overwritten)."""
        xp = self.xp
        h = z
        h *= self._half_sign  # half margins m / 2: exact, and m - |m| cannot overflow
        e = xp.abs(h)
        if not math.isfinite(float(xp.max(e))):
            # a score overflowed the dtype: its loss (0 or inf) is meaningless,
            # so the point is not a candidate (the solvers reject inf)
            return math.inf, e
        negative_margin = h < 0
        h -= e  # (m - |m|) / 2 = min(m, 0)
        e *= -2
        e = _modify_in_place_if_numpy(xp, xp.exp, e, out=e)  # exp(-|m|)
        # loss = log1p(exp(-|m|)) - min(m, 0): two non-negative sums
        objective = self.weights @ xp.log1p(e) - self.weights @ h  # on the device
        # sigmoid(-m) = (1 if m < 0 else exp(-|m|)) / (1 + exp(-|m|))
        residual = xp.where(negative_margin, 1.0, e)
        e += 1
        residual /= e
        residual *= self._residual_scale
        return objective, residual

    def _multinomial(self, z):
        """Weighted loss (0-d) and ``weights * dloss/dz``, class-major
        (overwritten)."""
        xp = self.xp
        z -= xp.max(z, axis=0)
        z_true = xp.take(xp.reshape(z, (-1,)), self._flat_true)
        e = _modify_in_place_if_numpy(xp, xp.exp, z, out=z)
        e_true = xp.exp(z_true)
        e *= self._false
        others = xp.sum(e, axis=0)  # sum over the classes other than the true one
        total = others + e_true
        # logsumexp(z) - max = log1p(sum of the terms other than one maximum):
        # when the true class is the maximum that sum is `others` exactly, which
        # keeps the tiny loss of a confidently right row; otherwise the loss is
        # at least log(2) and adding e_true - 1 loses nothing that matters
        objective = self.weights @ (xp.log1p(others + (e_true - 1)) - z_true)
        # weights * (softmax - onehot), the true class as -(sum of the others)
        # / total
        scale = self.weights / total
        e *= scale
        e = xp.where(self._true, -(others * scale), e)
        return objective, e


def linear_loss_gradient(
    coef, X, y, weights, l2_reg_strength, fit_intercept, n_classes
):
    """One evaluation of :class:`LinearLoss`: ``(objective, gradient)`` at ``coef``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import linear_loss_gradient
    >>> X = np.array([[1.0], [-1.0]])
    >>> y = np.array([1.0, 0.0])
    >>> f, g = linear_loss_gradient(np.zeros(2), X, y, np.full(2, 0.5), 0.0, True, 2)
    >>> round(f, 6), g
    (0.693147, array([-0.5,  0. ]))
    """
    loss = LinearLoss(X, y, weights, l2_reg_strength, fit_intercept, n_classes)
    return loss(coef)


def separates(coef, X, y, weights, fit_intercept, n_classes):
    """Whether the linear model ``coef`` classifies every weighted sample right.

    If it does, scaling ``coef`` up drives the unpenalised loss to zero, so
    without a penalty the objective has no minimiser.  Arguments as
    :func:`linear_loss_gradient`.

    Returns
    -------
    separated : bool
        True when every sample with a positive weight lies strictly on the side
        of its own class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._loss import separates
    >>> X = np.array([[-1.0], [1.0]])
    >>> separates(np.array([1.0, 0.0]), X, np.array([0.0, 1.0]), np.ones(2), True, 2)
    True
    """
    xp, _ = get_namespace(coef)
    n_features = X.shape[1]
    W = xp.reshape(coef, (-1, n_outputs(n_classes)))
    with np.errstate(over="ignore", invalid="ignore"):
        # float32 scores near the largest float may round to inf here (another
        # summation order than the loss's): an infinite margin still counts
        z = X @ W[:n_features, :]
        if fit_intercept:
            z += W[n_features, :]
    counted = weights > 0
    if W.shape[1] == 1:
        margin = xp.where(y > 0.5, z[:, 0], -z[:, 0])
    else:
        z_true = _pick(z, y, xp)
        z_others = xp.where(_is_column(z, y, xp), -xp.inf, z)
        margin = z_true - xp.max(z_others, axis=1)
    return bool(xp.all(margin[counted] > 0))
