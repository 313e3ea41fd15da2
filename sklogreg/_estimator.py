"""GradientDescentLogisticRegression: validation, encoding and unpacking only.

The math lives in :mod:`sklogreg._loss`, the iterations in
:mod:`sklogreg._solvers`.
"""

import math
import warnings
from functools import partial
from numbers import Integral, Real

import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model._base import LinearClassifierMixin, SparseCoefMixin
from sklearn.utils._array_api import _asarray_with_order
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, validate_data

from ._array_api import (
    check_same_namespace,
    get_namespace,
    get_namespace_and_device,
    max_float_dtype,
    to_device,
    to_numpy,
)
from ._callbacks import CallbackSupportMixin, FitMonitor
from ._loss import (
    LinearLoss,
    log_sigmoid,
    log_softmax,
    n_outputs,
    separates,
    sigmoid,
    softmax,
)
from ._penalty import l1_prox
from ._solvers import SOLVERS

_FITTED_ATTRIBUTES = (
    "classes_",
    "coef_",
    "intercept_",
    "n_iter_",
    "loss_curve_",
    "gradient_curve_",
    "n_features_in_",
    "feature_names_in_",
)


class GradientDescentLogisticRegression(
    CallbackSupportMixin, LinearClassifierMixin, SparseCoefMixin, BaseEstimator
):
    """Logistic regression trained by hand-written full-batch gradients.

    A drop-in replacement for scikit-learn's ``LogisticRegression`` with an L2
    penalty: it minimises the same objective, so the coefficients agree, but
    the sigmoid, softmax, log-loss, gradients and solvers are written here,
    against the Array API: NumPy by default, and with scikit-learn's
    ``array_api_dispatch=True`` PyTorch, CuPy or array-api-strict arrays, fitted
    in their own library and on their device (a GPU included).  Two classes
    give a binary (sigmoid) model, three or more one multinomial (softmax)
    model.

    The objective, with ``s_i`` the sample weight times the class weight of
    sample ``i``, ``S = sum_i s_i``, ``z_i = W x_i + b`` and the intercept ``b``
    not penalised::

        sum_i s_i * loss(z_i, y_i) / S
            + (l1_ratio * ||W||_1 + (1 - l1_ratio) / 2 * ||W||^2) / (C * S)

    where ``loss`` is the log-loss ``log(1 + exp(z)) - y z`` (binary) or the
    cross-entropy ``logsumexp(z) - z_y`` (multinomial), and ``||W||_1`` the sum
    of the absolute values of all coefficients.  This is exactly the
    objective of ``sklearn.linear_model.LogisticRegression`` with the same
    ``C`` and ``l1_ratio`` (for ``l1_ratio=0``, the L2 default, as its lbfgs;
    otherwise as its saga).

    Parameters
    ----------
    C : float, default=1.0
        Inverse of the regularisation strength; must be positive.
        ``C=np.inf`` means no penalty.
    l1_ratio : float in [0, 1], default=0.0
        Share of the L1 norm in the penalty, as scikit-learn 1.9's
        ``LogisticRegression``: 0 is L2, 1 is L1 (exact zeros in ``coef_``),
        in between the elastic net.  L1 and elastic net need ``solver="agd"``
        (FISTA) or ``solver="gd"`` (ISTA): proximal steps that soft-threshold.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalised) intercept.
    solver : {"lbfgs", "agd", "gd"}, default="lbfgs"
        Algorithm, all driven by the same objective and gradient:

        - ``"gd"``: batch gradient descent; with a float ``learning_rate`` the
          textbook fixed-step algorithm, with ``"auto"`` a backtracking line
          search that never lets the objective increase;
        - ``"agd"``: Nesterov-accelerated gradient descent (FISTA) with
          adaptive restart;
        - ``"lbfgs"``: limited-memory BFGS (two-loop recursion, Wolfe line
          search), written here on the same batch gradients.
    learning_rate : float or "auto", default="auto"
        Step size of ``"gd"`` and ``"agd"``: a positive float is used as it is
        at every iteration (``coef -= learning_rate * gradient``), ``"auto"``
        finds it by backtracking.  ``"lbfgs"`` accepts ``"auto"`` only.
    max_iter : int, default=100
        Maximum number of iterations.  ``max_iter=0`` returns the starting
        model (zeros, or the previous one with ``warm_start=True``).
    tol : float, default=1e-4
        Stop when the largest absolute component of the gradient of the
        objective above is at most ``tol`` (the meaning of ``gtol`` in
        scikit-learn's lbfgs); with an L1 term, of the smallest subgradient
        (how far the optimality conditions are from holding).  ``tol=0`` runs
        ``max_iter`` iterations.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as ``{label: weight}``; ``"balanced"`` uses
        ``n_samples / (n_classes * np.bincount(y))``.  Multiplied into the
        sample weights.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` instead of zeros.
    verbose : int, default=0
        Print the iteration, objective, largest gradient component and step:
        ``1`` at a decreasing cadence (1-10, 20, 30, ..., 100, 200, ...),
        ``2`` and above at every iteration.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients; one row for a binary problem (the positive class is
        ``classes_[1]``), one per class otherwise.  Same dtype as ``X``.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``).
    n_iter_ : ndarray of shape (1,)
        Number of iterations run.
    loss_curve_ : ndarray of shape (n_iter_[0],)
        Objective after each iteration.
    gradient_curve_ : ndarray of shape (n_iter_[0],)
        Largest absolute component of the gradient after each iteration: the
        quantity that ``tol`` bounds.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The same model, fitted by scipy.

    Notes
    -----
    If ``fit`` raises, the estimator keeps the fitted state it had before the
    call (or stays unfitted).

    With ``array_api_dispatch=True`` the fitted arrays (``coef_``,
    ``intercept_``, ``n_iter_``, ``loss_curve_``, ``gradient_curve_``) are in
    the namespace and on the device of ``X``, ``classes_`` in those of ``y``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklogreg import GradientDescentLogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), GradientDescentLogisticRegression())
    >>> round(clf.fit(X, y).score(X, y), 3)
    0.988
    >>> clf[-1].coef_.shape
    (1, 30)
    """

    _parameter_constraints: dict = {
        "C": [Interval(Real, 0, None, closed="right")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "solver": [StrOptions(set(SOLVERS))],
        "learning_rate": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        C=1.0,
        l1_ratio=0.0,
        fit_intercept=True,
        solver="lbfgs",
        learning_rate="auto",
        max_iter=100,
        tol=1e-4,
        class_weight=None,
        warm_start=False,
        verbose=0,
    ):
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to the training data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.  float32 data is fitted in float32.
        y : array-like of shape (n_samples,)
            Class labels (at least two distinct ones).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples; all ones by default.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        before = {k: vars(self)[k] for k in _FITTED_ATTRIBUTES if k in vars(self)}
        try:
            return self._fit(X, y, sample_weight)
        except BaseException:
            for name in _FITTED_ATTRIBUTES:
                vars(self).pop(name, None)
            vars(self).update(before)
            raise

    def _fit(self, X, y, sample_weight):
        if self.solver == "lbfgs" and self.l1_ratio > 0 and not math.isinf(self.C):
            raise ValueError(
                f"solver='lbfgs' needs a smooth objective and supports only "
                f"l1_ratio=0 (L2), got l1_ratio={self.l1_ratio}. Use solver='agd' "
                "(FISTA) or solver='gd' (ISTA) for L1 and elastic-net penalties."
            )
        if self.solver == "lbfgs" and self.learning_rate != "auto":
            raise ValueError(
                "solver='lbfgs' chooses its steps by line search and takes no "
                f"fixed learning_rate (got {self.learning_rate!r}); use "
                "learning_rate='auto', or solver='gd' or 'agd' for a fixed step."
            )
        xp, _, device = get_namespace_and_device(X)
        X, y = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], dtype=[xp.float64, xp.float32]
        )
        check_classification_targets(y)
        xp_y, _ = get_namespace(y)
        classes, y_index = xp_y.unique_inverse(y)  # classes_ stay in y's namespace
        y_index = to_device(y_index, xp, device)
        if classes.shape[0] < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but "
                f"the data contains only one class: {classes[0]!r}."
            )
        weights, penalty = self._weights_and_penalty(
            X, y_index, classes, sample_weight, xp, device
        )
        l1_strength = penalty * self.l1_ratio
        l2_reg_strength = penalty * (1 - self.l1_ratio)
        n_classes = classes.shape[0]
        target = y_index if n_classes > 2 else xp.astype(y_index, X.dtype)
        data = {
            "X": X,
            "y": target,
            "weights": weights,
            "fit_intercept": self.fit_intercept,
            "n_classes": n_classes,
        }
        fun = LinearLoss(l2_reg_strength=l2_reg_strength, **data)
        n_features = X.shape[1]
        n_penalised = n_features * n_outputs(n_classes)  # W first, intercept last
        prox = l1_prox(l1_strength, slice(0, n_penalised), xp) if l1_strength else None

        unpack = partial(self._unpack, classes=classes, n_features=n_features)
        monitor = FitMonitor(
            self, X, y, sample_weight, unpack, self.max_iter, self.verbose
        )
        result = SOLVERS[self.solver](
            fun,
            xp.reshape(self._initial_coef(X, classes, xp, device), (-1,)),
            max_iter=self.max_iter,
            tol=self.tol,
            learning_rate=self.learning_rate,
            prox=prox,
            callback=monitor if monitor.active else None,
        )
        self._check_result(result, X.dtype)
        if math.isinf(self.C) and separates(result.x, **data):
            warnings.warn(
                "The training data are linearly separable and C=np.inf: the "
                "log-loss has no minimum (it decreases towards 0 as the "
                "coefficients grow), so coef_ depends on tol and max_iter. Use a "
                "finite C for a well-defined model.",
                ConvergenceWarning,
            )

        for name, value in unpack(result.x).items():
            setattr(self, name, value)
        # what lived on the host (Python floats) joins the model on its device
        self.n_iter_ = xp.asarray([result.n_iter], dtype=xp.int32, device=device)
        wide = max_float_dtype(xp, device)
        self.loss_curve_ = xp.asarray(result.loss_history, dtype=wide, device=device)
        self.gradient_curve_ = xp.asarray(
            result.optimality_history, dtype=wide, device=device
        )
        monitor.close()
        return self

    def _unpack(self, x, *, classes, n_features):
        """The fitted attributes that a flat coefficient vector stands for."""
        xp, _, device = get_namespace_and_device(x)
        W = xp.reshape(x, (-1, n_outputs(classes.shape[0])))
        if self.fit_intercept:
            intercept = xp.asarray(W[n_features, :], copy=True)
        else:
            intercept = xp.zeros(W.shape[1], dtype=W.dtype, device=device)
        coef = _asarray_with_order(W[:n_features, :].T, order="C", copy=True, xp=xp)
        return {"classes_": classes, "coef_": coef, "intercept_": intercept}

    def _weights_and_penalty(self, X, y_index, classes, sample_weight, xp, device):
        """Return ``s / S`` and ``1 / (C S)`` (0 for ``C=inf``): the scaling."""
        if sample_weight is None:
            sample_weight = xp.ones(X.shape[0], dtype=X.dtype, device=device)
        elif not isinstance(sample_weight, Real):
            sample_weight = to_device(sample_weight, xp, device)
        s = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if self.class_weight is not None:
            # scikit-learn computes class weights in NumPy: once, before the fit
            y_np, classes_np = to_numpy(y_index), to_numpy(classes)
            per_class = compute_class_weight(
                self.class_weight,
                classes=classes_np,
                y=classes_np[y_np],
                sample_weight=to_numpy(s),
            )
            s = s * to_device(per_class[y_np], xp, device)
        total = float(xp.sum(s, dtype=max_float_dtype(xp, device)))
        if not total > 0:
            raise ValueError(
                "The sample weights times the class weights sum to zero: no "
                "sample carries any weight. Give at least one sample a positive "
                "weight."
            )
        penalty = 0.0 if math.isinf(self.C) else 1.0 / (self.C * total)
        return s / total, penalty

    def _initial_coef(self, X, classes, xp, device):
        """Zeros, or the previous solution with ``warm_start=True``."""
        n_features = X.shape[1]
        n_out = n_outputs(classes.shape[0])
        shape = (n_features + int(self.fit_intercept), n_out)
        coef = xp.zeros(shape, dtype=X.dtype, device=device)
        if self.warm_start and hasattr(self, "coef_"):
            previous = self.coef_
            if sp.issparse(previous):  # after sparsify()
                previous = previous.toarray()
            if tuple(previous.shape) != (n_out, n_features):
                raise ValueError(
                    f"warm_start=True needs the previous coef_ of shape "
                    f"{(n_out, n_features)} for this data, but coef_ has shape "
                    f"{tuple(previous.shape)}. Set warm_start=False to start from "
                    "zeros."
                )
            coef[:n_features, :] = xp.astype(to_device(previous, xp, device).T, X.dtype)
            if self.fit_intercept:
                intercept = to_device(self.intercept_, xp, device)
                coef[n_features, :] = xp.astype(intercept, X.dtype)
        return coef

    def _check_result(self, result, dtype):
        """Turn the solver's status into an error or a warning."""
        if result.status == "diverged":
            raise ValueError(
                f"solver={self.solver!r} diverged with the fixed "
                f"learning_rate={self.learning_rate!r}: after {result.n_iter + 1} "
                "iterations the objective was larger than at the start or not "
                "finite. Lower learning_rate, or use learning_rate='auto' which "
                "finds the step by line search."
            )
        if self.tol == 0:
            return
        if result.status == "max_iter":
            warnings.warn(
                f"solver={self.solver!r} did not converge in max_iter="
                f"{self.max_iter} iterations: the largest gradient component is "
                f"{result.optimality:.3g} > tol={self.tol}. Increase max_iter, "
                "scale the data (e.g. StandardScaler), increase the penalty "
                "(smaller C) or use solver='lbfgs'.",
                ConvergenceWarning,
            )
        elif result.status == "stalled":
            warnings.warn(
                f"solver={self.solver!r} stopped after {result.n_iter} iterations: "
                f"the objective no longer decreases at {_dtype_name(dtype)} "
                f"precision, with the largest gradient component at "
                f"{result.optimality:.3g} > tol={self.tol}. The model is as close "
                "to the optimum as this precision allows; use a larger tol, or "
                "float64 data for a tighter fit.",
                ConvergenceWarning,
            )

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``; rows sum to one.
        """
        check_same_namespace(X, self, attribute="coef_", method="predict_proba")
        z = self.decision_function(X)
        xp, _ = get_namespace(z)
        if z.ndim == 1:
            return xp.stack([sigmoid(-z), sigmoid(z)], axis=1)
        return softmax(z)

    def predict_log_proba(self, X):
        """Logarithm of the probability of each class, computed without log(0).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns in the order of ``classes_``.
        """
        check_same_namespace(X, self, attribute="coef_", method="predict_log_proba")
        z = self.decision_function(X)
        xp, _ = get_namespace(z)
        if z.ndim == 1:
            return xp.stack([log_sigmoid(-z), log_sigmoid(z)], axis=1)
        return log_softmax(z)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags


def _dtype_name(dtype):
    """``"float32"`` for NumPy's, PyTorch's or array-api-strict's float32."""
    return str(dtype).rsplit(".", 1)[-1]
