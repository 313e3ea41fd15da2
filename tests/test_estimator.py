"""The estimator against scikit-learn's LogisticRegression on the same objective."""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_classification,
)
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklogreg import GradientDescentLogisticRegression

SOLVERS = ["lbfgs", "agd", "gd"]


def _standardised(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _scaled_digits():
    X, y = load_digits(return_X_y=True)
    return X / 16, y


def _weighted_synthetic():
    X, y = make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    sample_weight = np.random.default_rng(0).uniform(0, 3, size=300)
    sample_weight[:20] = 0.0
    return X, y, sample_weight


CASES = {
    "breast_cancer": (lambda: _standardised(load_breast_cancer), {}),
    "wine": (lambda: _standardised(load_wine), {}),
    "digits": (lambda: _scaled_digits(), {"C": 0.1}),
    "weighted": (lambda: _weighted_synthetic(), {"C": 0.5}),
    "balanced": (
        lambda: make_classification(
            n_samples=200, n_features=6, weights=[0.8, 0.2], random_state=1
        ),
        {"class_weight": "balanced", "C": 2.0},
    ),
    "no_intercept": (lambda: _standardised(load_wine), {"fit_intercept": False}),
    "unpenalised": (
        lambda: make_classification(
            n_samples=200, n_features=5, flip_y=0.2, random_state=2
        ),
        {"C": np.inf},
    ),
}


def _fit_pair(case, solver, dtype=np.float64):
    make, params = CASES[case]
    data = make()
    X, y = data[0].astype(dtype), data[1]
    sample_weight = data[2] if len(data) > 2 else None
    ours = GradientDescentLogisticRegression(
        solver=solver, tol=1e-8, max_iter=100000, **params
    )
    with warnings.catch_warnings():
        if dtype == np.float32:  # tol=1e-8 is below float32 precision
            warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y, sample_weight=sample_weight)
    reference = LogisticRegression(tol=1e-12, max_iter=100000, **params)
    reference.fit(X.astype(np.float64), y, sample_weight=sample_weight)
    return ours, reference


def _assert_same_model(ours, reference, rtol):
    scale = np.abs(reference.coef_).max()
    np.testing.assert_allclose(ours.coef_, reference.coef_, rtol=0, atol=rtol * scale)
    np.testing.assert_allclose(
        ours.intercept_, reference.intercept_, rtol=0, atol=rtol * scale
    )
    np.testing.assert_array_equal(ours.classes_, reference.classes_)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_coefficients_as_sklearn(case, solver):
    ours, reference = _fit_pair(case, solver)
    _assert_same_model(ours, reference, rtol=1e-4)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", ["breast_cancer", "wine", "weighted"])
def test_float32_same_coefficients_and_stays_float32(case, solver):
    ours, reference = _fit_pair(case, solver, dtype=np.float32)
    assert ours.coef_.dtype == ours.intercept_.dtype == np.float32
    _assert_same_model(ours, reference, rtol=1e-3)


@pytest.mark.parametrize("solver", SOLVERS)
def test_sparse_input_gives_the_dense_model(solver):
    X, y, sample_weight = _weighted_synthetic()
    X[np.abs(X) < 0.8] = 0.0
    dense = GradientDescentLogisticRegression(
        solver=solver, tol=1e-8, max_iter=10**5
    ).fit(X, y, sample_weight=sample_weight)
    for container in (sp.csr_matrix, sp.csc_array):
        sparse = GradientDescentLogisticRegression(
            solver=solver, tol=1e-8, max_iter=10**5
        ).fit(container(X), y, sample_weight=sample_weight)
        # both stop at max|grad| <= tol of a (1 / (C S))-strongly convex objective:
        # each is within sqrt(size) tol C S of the optimum
        bound = 2 * np.sqrt(dense.coef_.size + 3) * 1e-8 * sample_weight.sum()
        assert np.abs(sparse.coef_ - dense.coef_).max() <= bound
        np.testing.assert_allclose(
            sparse.predict_proba(container(X)), dense.predict_proba(X), atol=10 * bound
        )


def test_fitted_attributes_binary_and_multiclass():
    X, y = _standardised(load_wine)
    labels = np.array(["barolo", "grignolino", "barbera"])[y]
    multi = GradientDescentLogisticRegression().fit(X, labels)
    assert multi.coef_.shape == (3, 13) and multi.intercept_.shape == (3,)
    np.testing.assert_array_equal(multi.classes_, ["barbera", "barolo", "grignolino"])
    assert multi.n_iter_.shape == (1,) and multi.n_iter_.dtype == np.int32
    assert multi.loss_curve_.shape == (multi.n_iter_[0],)
    assert multi.n_features_in_ == 13

    binary = GradientDescentLogisticRegression().fit(X[y < 2], labels[y < 2])
    assert binary.coef_.shape == (1, 13) and binary.intercept_.shape == (1,)
    # the positive class is classes_[1]
    positive = binary.decision_function(X[y < 2]) > 0
    np.testing.assert_array_equal(
        binary.predict(X[y < 2]),
        np.where(positive, binary.classes_[1], binary.classes_[0]),
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_loss_curve_is_the_objective(solver):
    X, y = _standardised(load_breast_cancer)
    C = 0.5
    model = GradientDescentLogisticRegression(solver=solver, C=C).fit(X, y)
    z = model.decision_function(X)
    loss = np.logaddexp(0, z) - (y == 1) * z
    objective = loss.mean() + (model.coef_**2).sum() / (2 * C * len(y))
    assert model.loss_curve_[-1] == pytest.approx(objective, rel=1e-12)
    assert model.loss_curve_[0] > model.loss_curve_[-1]


def test_predict_proba_and_log_proba():
    X, y = _standardised(load_digits)
    model = GradientDescentLogisticRegression(C=10.0).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        np.exp(model.predict_log_proba(X)), proba, rtol=1e-10, atol=1e-300
    )
    np.testing.assert_array_equal(
        model.classes_[proba.argmax(axis=1)], model.predict(X)
    )
    # far from the data, the log-probabilities stay finite where proba is 0
    log_proba = model.predict_log_proba(X * 1e6)
    assert np.isfinite(log_proba).all()
    Xb, yb = _standardised(load_breast_cancer)
    binary = GradientDescentLogisticRegression().fit(Xb, yb)
    log_proba = binary.predict_log_proba(Xb * 1e200)
    assert np.isfinite(log_proba).all()
    assert np.all(binary.predict_proba(Xb * 1e200) >= 0)


def test_deterministic_and_starts_from_zero():
    X, y = _standardised(load_wine)
    a = GradientDescentLogisticRegression(solver="agd").fit(X, y)
    b = GradientDescentLogisticRegression(solver="agd").fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    with pytest.warns(ConvergenceWarning, match="max_iter=0"):
        zero = GradientDescentLogisticRegression(max_iter=0).fit(X, y)
    assert not zero.coef_.any() and not zero.intercept_.any()
    assert zero.n_iter_[0] == 0 and zero.loss_curve_.shape == (0,)
    np.testing.assert_allclose(zero.predict_proba(X), 1 / 3)


@pytest.mark.parametrize("solver", SOLVERS)
def test_tol_zero_runs_max_iter_without_warning(solver):
    X, y = _standardised(load_breast_cancer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = GradientDescentLogisticRegression(solver=solver, tol=0, max_iter=13)
        model.fit(X, y)
    assert model.n_iter_[0] == 13


@pytest.mark.parametrize("solver", SOLVERS)
def test_convergence_warning_names_the_knobs(solver):
    X, y = load_breast_cancer(return_X_y=True)  # unscaled: slow for all
    with pytest.warns(ConvergenceWarning) as record:
        GradientDescentLogisticRegression(solver=solver, max_iter=3).fit(X, y)
    message = str(record[0].message)
    for knob in ("max_iter", "StandardScaler", "tol="):
        assert knob in message


@pytest.mark.parametrize("solver", SOLVERS)
def test_warm_start_continues_from_previous_solution(solver):
    X, y = _standardised(load_wine)
    cold = GradientDescentLogisticRegression(solver=solver, tol=1e-6, max_iter=10**4)
    cold.fit(X, y)
    warm = GradientDescentLogisticRegression(
        solver=solver, tol=1e-6, max_iter=10**4, warm_start=True
    )
    warm.fit(X, y)
    warm.fit(X, y)
    assert warm.n_iter_[0] < cold.n_iter_[0] / 3
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-4)
    with pytest.warns(ConvergenceWarning):
        warm.set_params(max_iter=1, tol=1e-12).fit(X, y)
    # started from the solution: one step changes little
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-3)


def test_warm_start_with_other_classes_is_a_clear_error():
    X, y = _standardised(load_wine)
    model = GradientDescentLogisticRegression(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="warm_start=False"):
        model.fit(X[y < 2], y[y < 2])
    assert model.coef_.shape == (3, 13)  # previous fitted state kept


def test_tutorial_learning_rate_is_the_textbook_step():
    """coef <- coef - learning_rate * gradient, exactly."""
    X, y = _standardised(load_breast_cancer)
    model = GradientDescentLogisticRegression(
        C=np.inf, solver="gd", learning_rate=0.5, max_iter=20, tol=0
    ).fit(X, y)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(20):
        z = X @ w + b
        r = np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))) - y
        w, b = w - 0.5 * X.T @ r / len(y), b - 0.5 * r.mean()
    np.testing.assert_allclose(model.coef_[0], w, rtol=1e-12)
    np.testing.assert_allclose(model.intercept_[0], b, rtol=1e-12, atol=1e-15)


def test_sample_weight_equals_repetition_and_class_weight():
    X, y = _standardised(load_wine)
    counts = np.random.default_rng(0).integers(0, 4, size=len(y))
    weighted = GradientDescentLogisticRegression(tol=1e-10).fit(
        X, y, sample_weight=counts
    )
    repeated = GradientDescentLogisticRegression(tol=1e-10).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)
    class_weight = {0: 2.0, 1: 0.5, 2: 1.0}
    by_class = GradientDescentLogisticRegression(
        tol=1e-10, class_weight=class_weight
    ).fit(X, y)
    by_sample = GradientDescentLogisticRegression(tol=1e-10).fit(
        X, y, sample_weight=np.array([2.0, 0.5, 1.0])[y]
    )
    np.testing.assert_allclose(by_class.coef_, by_sample.coef_, atol=1e-7)


def test_inputs_are_not_modified():
    X, y, sample_weight = _weighted_synthetic()
    copies = X.copy(), y.copy(), sample_weight.copy()
    for solver in SOLVERS:
        GradientDescentLogisticRegression(solver=solver, class_weight="balanced").fit(
            X, y, sample_weight=sample_weight
        )
    for before, after in zip(copies, (X, y, sample_weight), strict=True):
        np.testing.assert_array_equal(before, after)


def test_verbose_prints_a_trace(capsys):
    X, y = _standardised(load_wine)
    model = GradientDescentLogisticRegression(solver="gd", verbose=1, tol=1e-6).fit(
        X, y
    )
    lines = capsys.readouterr().out.splitlines()
    iterations = [int(re.search(r"iter\s+(\d+)", line).group(1)) for line in lines]
    assert iterations[:10] == list(range(1, 11))
    assert all(i % 10 == 0 for i in iterations[10:])
    assert iterations[-1] <= model.n_iter_[0]
    assert "objective" in lines[0] and "max|grad|" in lines[0]
    model.set_params(verbose=2).fit(X, y)
    assert len(capsys.readouterr().out.splitlines()) == model.n_iter_[0]


def test_parameter_errors_are_raised_by_fit():
    X, y = _standardised(load_wine)
    bad = [
        {"C": 0},
        {"C": -1.0},
        {"solver": "newton"},
        {"learning_rate": 0},
        {"learning_rate": -0.1},
        {"learning_rate": "fast"},
        {"max_iter": -1},
        {"tol": -1e-3},
        {"solver": "lbfgs", "learning_rate": 0.1},
    ]
    for params in bad:
        model = GradientDescentLogisticRegression(**params)  # the constructor accepts
        with pytest.raises(ValueError, match=next(iter(params))):
            model.fit(X, y)


def test_not_fitted_error():
    with pytest.raises(NotFittedError):
        GradientDescentLogisticRegression().predict(np.zeros((2, 3)))
