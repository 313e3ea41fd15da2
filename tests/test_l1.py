"""L1 and elastic-net penalties by proximal gradient descent."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklogreg import GradientDescentLogisticRegression
from sklogreg._loss import LinearLoss

SOLVERS = ["agd", "gd"]
SKLEARN_VERSION = tuple(int(part) for part in sklearn.__version__.split(".")[:2])


def _objective_and_gradient(model, X, y, C, l1_ratio):
    """The elastic-net objective at a fitted model, and its smooth gradient."""
    classes, y_index = np.unique(y, return_inverse=True)
    n_classes, n = len(classes), len(y)
    target = y_index.astype(float) if n_classes == 2 else y_index
    coef = np.vstack([model.coef_.T, model.intercept_[None, :]]).astype(float)
    l2 = (1 - l1_ratio) / (C * n)
    f, g = LinearLoss(X, target, np.full(n, 1 / n), l2, True, n_classes)(coef.ravel())
    f += l1_ratio / (C * n) * np.abs(model.coef_).sum()
    return f, g.reshape(coef.shape)


def _kkt_violation(model, X, y, C, l1_ratio):
    """Largest violation of the optimality conditions, written out here."""
    _, g = _objective_and_gradient(model, X, y, C, l1_ratio)
    strength = l1_ratio / (C * len(y))
    W, g_W = model.coef_.T, g[:-1]
    violation = np.where(
        W != 0, np.abs(g_W + strength * np.sign(W)), np.abs(g_W) - strength
    )
    return max(violation.max(), np.abs(g[-1]).max())


def _wide_sparse_truth():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 400))
    true = np.zeros(400)
    true[:8] = rng.choice([-3.0, 3.0], size=8)
    y = (X @ true + rng.logistic(size=150) > 0).astype(int)
    return X, y


def _breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


CASES = {  # data, C, l1_ratio
    "breast_cancer L1": (_breast_cancer, 0.1, 1.0),
    "breast_cancer elastic-net": (_breast_cancer, 0.1, 0.5),
    "digits L1": (_digits, 0.05, 1.0),
    "wide sparse truth L1": (_wide_sparse_truth, 0.5, 1.0),
}


@pytest.fixture(scope="module")
def saga():
    """scikit-learn's saga at tol=1e-10 on each case, fitted once."""
    fitted = {}
    for name, (make, C, l1_ratio) in CASES.items():
        X, y = make()
        model = LogisticRegression(
            solver="saga", C=C, l1_ratio=l1_ratio, tol=1e-10, max_iter=100_000
        )
        if SKLEARN_VERSION < (1, 8):  # l1_ratio was used only with this penalty
            model.set_params(penalty="elasticnet")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted[name] = model.fit(X, y)
    return fitted


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_optimum_and_support_as_saga(case, solver, saga):
    make, C, l1_ratio = CASES[case]
    X, y = make()
    model = GradientDescentLogisticRegression(
        solver=solver, C=C, l1_ratio=l1_ratio, tol=1e-8, max_iter=100_000
    ).fit(X, y)
    ours, _ = _objective_and_gradient(model, X, y, C, l1_ratio)
    theirs, _ = _objective_and_gradient(saga[case], X, y, C, l1_ratio)
    assert ours <= theirs * (1 + 1e-8)
    np.testing.assert_array_equal(model.coef_ != 0, saga[case].coef_ != 0)
    assert 0 < np.count_nonzero(model.coef_) < model.coef_.size  # exact zeros
    assert _kkt_violation(model, X, y, C, l1_ratio) <= 1e-8


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_optimality_certificate(solver, l1_ratio, container, n_classes):
    X, y = _digits()
    keep = y < n_classes
    X, y = X[keep], y[keep]
    weights = np.random.default_rng(1).uniform(0.5, 2.0, size=len(y))
    C, tol = 0.2, 1e-7
    model = GradientDescentLogisticRegression(
        solver=solver, C=C, l1_ratio=l1_ratio, tol=tol, max_iter=100_000
    ).fit(container(X), y, sample_weight=weights)
    # the certificate for the weighted objective: fold the weights into a copy
    # of the data by repetition-free rescaling of the loss weights
    classes, y_index = np.unique(y, return_inverse=True)
    target = y_index.astype(float) if len(classes) == 2 else y_index
    coef = np.vstack([model.coef_.T, model.intercept_[None, :]])
    S = weights.sum()
    _, g = LinearLoss(X, target, weights / S, (1 - l1_ratio) / (C * S), True,
                      len(classes))(coef.ravel())  # fmt: skip
    g = g.reshape(coef.shape)
    strength = l1_ratio / (C * S)
    W, g_W = model.coef_.T, g[:-1]
    violation = np.where(
        W != 0, np.abs(g_W + strength * np.sign(W)), np.abs(g_W) - strength
    )
    assert max(violation.max(), np.abs(g[-1]).max()) <= tol
    assert model.gradient_curve_[-1] <= tol
    assert np.count_nonzero(model.coef_) < model.coef_.size


def test_float32_l1():
    X, y = _breast_cancer()
    model = GradientDescentLogisticRegression(
        solver="agd", C=0.1, l1_ratio=1.0, tol=1e-7, max_iter=10_000
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # float32's precision
        model.fit(X.astype(np.float32), y)
    reference = GradientDescentLogisticRegression(
        solver="agd", C=0.1, l1_ratio=1.0, tol=1e-8, max_iter=10_000
    ).fit(X, y)
    assert model.coef_.dtype == np.float32
    scale = np.abs(reference.coef_).max()
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-3 * scale)


def test_lbfgs_refuses_l1_with_a_clear_error():
    X, y = _breast_cancer()
    with pytest.raises(ValueError, match="solver='agd'.*solver='gd'"):
        GradientDescentLogisticRegression(l1_ratio=0.5).fit(X, y)
    # without a penalty l1_ratio plays no part, as in scikit-learn
    GradientDescentLogisticRegression(l1_ratio=1.0, C=np.inf, tol=1e-3).fit(X, y)


def test_l1_ratio_zero_is_the_l2_model():
    X, y = _breast_cancer()
    l2 = GradientDescentLogisticRegression(solver="agd", tol=1e-8, max_iter=10**4)
    zero = GradientDescentLogisticRegression(
        solver="agd", tol=1e-8, max_iter=10**4, l1_ratio=0.0
    )
    np.testing.assert_array_equal(l2.fit(X, y).coef_, zero.fit(X, y).coef_)


def test_sparsify_densify_and_warm_start():
    X, y = _digits()
    model = GradientDescentLogisticRegression(
        solver="agd", C=0.05, l1_ratio=1.0, tol=1e-6, max_iter=10_000
    ).fit(X, y)
    dense_proba = model.predict_proba(X)
    model.sparsify()
    assert sp.issparse(model.coef_)
    np.testing.assert_allclose(model.predict_proba(X), dense_proba, rtol=1e-12)
    model.set_params(warm_start=True).fit(X, y)  # from the sparse coef_
    assert model.n_iter_[0] <= 5
    model.densify()
    assert isinstance(model.coef_, np.ndarray)


def test_path_with_warm_starts_gets_sparser():
    X, y = _breast_cancer()
    model = GradientDescentLogisticRegression(
        solver="agd", l1_ratio=1.0, tol=1e-6, max_iter=10_000, warm_start=True
    )
    nonzeros = []
    for C in [1.0, 0.3, 0.1, 0.03, 0.01]:
        nonzeros.append(np.count_nonzero(model.set_params(C=C).fit(X, y).coef_))
    assert nonzeros == sorted(nonzeros, reverse=True) and nonzeros[-1] < nonzeros[0]
