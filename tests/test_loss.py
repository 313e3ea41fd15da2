"""The math on z: exact values at extremes, finite differences, properties."""

import warnings
from decimal import MAX_EMAX, MIN_EMIN, Decimal, localcontext

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklogreg._loss import (
    LinearLoss,
    binary_loss,
    binary_loss_gradient,
    linear_loss_gradient,
    log_sigmoid,
    log_softmax,
    multinomial_loss,
    multinomial_loss_gradient,
    n_outputs,
    sigmoid,
    softmax,
)

EXTREMES = [0.0, 1e-10, 0.5, 1.0, 2.0, 10.0, 17.0, 19.0, 33.0, 37.0, 40.0,
            100.0, 700.0, 710.0, 1e3, 1e5, 1e20, 1e100, 1e300]  # fmt: skip
Z = np.array(EXTREMES + [-z for z in EXTREMES if z])


def _exact(func):
    """Evaluate ``func`` in 800-digit decimal arithmetic (floats are exact), rounded."""
    with localcontext() as ctx:
        ctx.prec, ctx.Emax, ctx.Emin = 800, MAX_EMAX, MIN_EMIN
        return float(func())


def _log1p(x):
    """``log(1 + x)`` for Decimal ``x >= 0``, accurate also for tiny ``x``."""
    if x < Decimal("1e-100"):
        return x - x * x / 2  # relative error below 1e-200
    return (1 + x).ln()


def _exact_log1pexp(z, y=0.0):
    """``log(1 + exp(z)) - y z``: a linear part plus a log1p part, no cancellation."""
    z, y = Decimal(z), Decimal(y)
    return (max(z, 0) - y * z) + _log1p((-abs(z)).exp())


def _exact_sigmoid(z):
    z = Decimal(z)
    if z > 0:
        return 1 / (1 + (-z).exp())
    return z.exp() / (1 + z.exp())


@pytest.fixture(autouse=True)
def _no_floating_point_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            yield


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_binary_loss_and_gradient_exact_at_extremes(y):
    loss, grad = binary_loss_gradient(Z, np.full_like(Z, y))
    expected_loss = [_exact(lambda z=z: _exact_log1pexp(z, y)) for z in Z]
    expected_grad = [_exact(lambda z=z: _exact_sigmoid(z) - Decimal(y)) for z in Z]
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-14, atol=0)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13, atol=0)
    np.testing.assert_array_equal(binary_loss(Z, np.full_like(Z, y)), loss)


def test_sigmoid_and_log_sigmoid_exact_at_extremes():
    expected = [_exact(lambda z=z: _exact_sigmoid(z)) for z in Z]
    expected_log = [_exact(lambda z=z: -_exact_log1pexp(-z)) for z in Z]
    np.testing.assert_allclose(sigmoid(Z), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(log_sigmoid(Z), expected_log, rtol=1e-15, atol=0)


def test_multinomial_loss_and_gradient_exact_at_extremes():
    rows = np.array([[z, 0.0, -z] for z in Z] + [[z, z, 0.0] for z in Z])
    y = np.arange(rows.shape[0]) % 3

    def exact_row(row, k):
        with localcontext() as ctx:
            ctx.prec, ctx.Emax, ctx.Emin = 800, MAX_EMAX, MIN_EMIN
            d = [Decimal(v) for v in row]
            m = max(d)
            total = sum((v - m).exp() for v in d)
            loss = float(_log1p(total - 1) + (m - d[k]))
            grad = [float((v - m).exp() / total - (1 if j == k else 0))
                    for j, v in enumerate(d)]  # fmt: skip
            return loss, grad

    expected = [exact_row(row, k) for row, k in zip(rows, y, strict=True)]
    loss, grad = multinomial_loss_gradient(rows, y)
    np.testing.assert_allclose(loss, [e[0] for e in expected], rtol=1e-14, atol=0)
    np.testing.assert_allclose(grad, [e[1] for e in expected], rtol=1e-13, atol=1e-16)
    np.testing.assert_array_equal(multinomial_loss(rows, y), loss)
    np.testing.assert_allclose(
        -log_softmax(rows)[np.arange(len(y)), y], loss, rtol=1e-15
    )


def test_float32_stays_float32_and_finite():
    z = np.array([-1e30, -50.0, 0.0, 50.0, 1e30], dtype=np.float32)
    y = np.array([1, 0, 1, 1, 0], dtype=np.float32)
    loss, grad = binary_loss_gradient(z, y)
    assert loss.dtype == grad.dtype == np.float32
    assert np.isfinite(loss).all() and np.isfinite(grad).all()
    zz = np.stack([z, -z, np.zeros_like(z)], axis=1)
    loss, grad = multinomial_loss_gradient(zz, np.array([0, 1, 2, 0, 1]))
    assert loss.dtype == grad.dtype == np.float32
    assert np.isfinite(loss).all() and np.isfinite(grad).all()


finite_z = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)
shapes = st.tuples(st.integers(1, 6), st.integers(2, 5))


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=finite_z
    )
)
def test_probabilities_in_unit_interval_and_sum_to_one(z):
    p = softmax(z)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(log_softmax(z) <= 0)
    s = sigmoid(z[:, 0])
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s + sigmoid(-z[:, 0]), 1.0, rtol=1e-15)


@st.composite
def problems(draw):
    """A small logistic problem with weights, possibly sparse."""
    n = draw(st.integers(1, 12))
    d = draw(st.integers(1, 4))
    n_classes = draw(st.sampled_from([2, 3, 4]))
    fit_intercept = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([0.1, 1.0, 5.0]))
    X = rng.normal(scale=scale, size=(n, d))
    X[rng.random(size=X.shape) < 0.3] = 0.0
    y_index = rng.integers(0, n_classes, size=n)
    weights = rng.random(n) * (rng.random(n) > 0.2)
    l2 = draw(st.sampled_from([0.0, 0.01, 1.0]))
    n_coef = (d + fit_intercept) * n_outputs(n_classes)
    coef = rng.normal(size=n_coef)
    y = (y_index == 1).astype(float) if n_classes == 2 else y_index
    container = draw(st.sampled_from([np.asarray, sp.csr_array, sp.csc_matrix]))
    return coef, container(X), X, y, weights, l2, fit_intercept, n_classes


@settings(max_examples=100, deadline=None)
@given(problems())
def test_gradient_equals_finite_differences(problem):
    coef, X, X_dense, y, weights, l2, fit_intercept, n_classes = problem
    args = (X, y, weights, l2, fit_intercept, n_classes)
    f, g = linear_loss_gradient(coef, *args)
    h = 1e-6
    fd = np.empty_like(coef)
    for j in range(coef.size):
        e = np.zeros_like(coef)
        e[j] = h
        fd[j] = (
            linear_loss_gradient(coef + e, *args)[0]
            - linear_loss_gradient(coef - e, *args)[0]
        ) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7 * (1 + abs(f)))
    # the sparse path computes the same numbers as the dense one
    f_dense, g_dense = linear_loss_gradient(coef, X_dense, *args[1:])
    np.testing.assert_allclose(f, f_dense, rtol=1e-13)
    np.testing.assert_allclose(g, g_dense, rtol=1e-12, atol=1e-15)


def test_linear_loss_matches_plain_formula():
    """The objective equals the formula written out in the docstring."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = rng.integers(0, 3, size=30)
    s = rng.random(30)
    C = 0.7
    W = rng.normal(size=(5, 3))
    f, _ = linear_loss_gradient(
        W.ravel(), X, y, s / s.sum(), 1 / (C * s.sum()), True, 3
    )
    Z = X @ W[:4] + W[4]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    expected = -(s * np.log(P[np.arange(30), y])).sum() / s.sum()
    expected += (W[:4] ** 2).sum() / (2 * C * s.sum())
    np.testing.assert_allclose(f, expected, rtol=1e-13)


def _plain_objective_gradient(coef, X, y, weights, l2, fit_intercept, n_classes):
    """The objective written out from the pure functions on z: the oracle."""
    X = X.toarray() if sp.issparse(X) else X
    n_features = X.shape[1]
    W = coef.reshape(-1, n_outputs(n_classes))
    z = X @ W[:n_features] + (W[n_features] if fit_intercept else 0)
    if n_classes == 2:
        loss, dz = binary_loss_gradient(z[:, 0], y)
        dz = dz[:, None]
    else:
        loss, dz = multinomial_loss_gradient(z, y)
    dz = dz * weights[:, None]
    grad = np.zeros_like(W)
    grad[:n_features] = X.T @ dz + l2 * W[:n_features]
    if fit_intercept:
        grad[n_features] = dz.sum(axis=0)
    objective = weights @ loss + 0.5 * l2 * np.square(W[:n_features], dtype=float).sum()
    return objective, grad.ravel()


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix, sp.csc_array])
@pytest.mark.parametrize("scale", [1.0, 1e3, 1e150])
def test_linear_loss_equals_plain_formulas(n_classes, dtype, container, scale):
    """The fast paths (margins, class-major softmax) match the plain formulas."""
    if dtype == np.float32 and scale > 1e15:
        scale = 1e15  # keep the penalty ||coef||^2 inside float32's range
    rng = np.random.default_rng(n_classes)
    n, d = 50, 4
    X = rng.normal(size=(n, d)).astype(dtype)
    X[rng.random(X.shape) < 0.3] = 0
    y_index = rng.integers(0, n_classes, size=n)
    y = (y_index == 1).astype(dtype) if n_classes == 2 else y_index
    weights = (rng.random(n) * (rng.random(n) > 0.1)).astype(dtype)
    coef = (rng.normal(size=(d + 1) * n_outputs(n_classes)) * scale).astype(dtype)
    args = (y, weights, dtype(0.01), True, n_classes)
    f, g = LinearLoss(container(X), *args)(coef)
    f_plain, g_plain = _plain_objective_gradient(coef, X, *args)
    assert g.dtype == dtype and np.isfinite(f) and np.isfinite(g).all()
    rtol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(f, f_plain, rtol=rtol)
    np.testing.assert_allclose(g, g_plain, rtol=rtol, atol=rtol * np.abs(g_plain).max())
