"""Solvers against their own oracles: optimality certificates and each other."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.preprocessing import StandardScaler

from sklogreg._loss import linear_loss_gradient
from sklogreg._solvers import SOLVERS, Prox, agd, gd, lbfgs


def _quadratic(A, b):
    """f(x) = x'Ax/2 - b'x with its gradient; minimiser solve(A, b)."""

    def fun(x):
        Ax = A @ x
        return 0.5 * x @ Ax - b @ x, Ax - b

    return fun


def _logistic_problem(loader, C=1.0, dtype=np.float64):
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(dtype)
    classes, y = np.unique(y, return_inverse=True)
    n_classes = len(classes)
    target = y.astype(dtype) if n_classes == 2 else y
    n = X.shape[0]
    weights = np.full(n, 1 / n, dtype=dtype)

    def fun(coef):
        return linear_loss_gradient(
            coef, X, target, weights, 1 / (C * n), True, n_classes
        )

    n_out = 1 if n_classes == 2 else n_classes
    return fun, np.zeros((X.shape[1] + 1) * n_out, dtype=dtype)


def _strong_convexity(C, loader):
    """The objective is at least (1 / (C n))-strongly convex (the L2 term)."""
    return 1 / (C * loader(return_X_y=True)[0].shape[0])


@pytest.fixture
def ill_conditioned_quadratic():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.normal(size=(20, 20)))
    A = Q @ np.diag(np.logspace(-2, 1, 20)) @ Q.T
    b = rng.normal(size=20)
    return _quadratic(A, b), np.linalg.solve(A, b)


@pytest.mark.parametrize("name", sorted(SOLVERS))
def test_quadratic_minimiser_and_certificate(name, ill_conditioned_quadratic):
    fun, x_star = ill_conditioned_quadratic
    res = SOLVERS[name](fun, np.zeros(20), max_iter=100000, tol=1e-10)
    assert res.status == "converged"
    assert np.max(np.abs(fun(res.x)[1])) <= 1e-10
    assert res.optimality == pytest.approx(np.max(np.abs(fun(res.x)[1])))
    np.testing.assert_allclose(res.x, x_star, rtol=1e-7, atol=1e-8)
    assert res.loss_history.shape == (res.n_iter,)
    assert res.fun == pytest.approx(fun(res.x)[0])


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine])
def test_solvers_agree_on_logistic_objective(loader):
    fun, x0 = _logistic_problem(loader)
    tol = 1e-9
    results = {
        name: solver(fun, x0, max_iter=50000, tol=tol)
        for name, solver in SOLVERS.items()
    }
    for name, res in results.items():
        assert res.status == "converged", name
        assert np.max(np.abs(fun(res.x)[1])) <= tol
    # ||x - x*|| <= ||g(x)|| / mu, and ||g||_2 <= sqrt(size) max|g| for each
    bound = 2 * np.sqrt(x0.size) * tol / _strong_convexity(1.0, loader)
    reference = results["lbfgs"]
    for res in results.values():
        assert np.linalg.norm(res.x - reference.x) <= bound
        assert res.fun == pytest.approx(reference.fun, rel=1e-12)


def test_lbfgs_needs_fewer_gradients_than_agd_than_gd():
    fun, x0 = _logistic_problem(load_breast_cancer)
    n_fun = {
        name: solver(fun, x0, max_iter=50000, tol=1e-8).n_fun
        for name, solver in SOLVERS.items()
    }
    assert n_fun["lbfgs"] < n_fun["agd"] < n_fun["gd"]


@pytest.mark.parametrize("name", ["gd", "agd"])
def test_auto_step_objective_never_increases(name):
    fun, x0 = _logistic_problem(load_wine, C=100.0)
    res = SOLVERS[name](fun, x0, max_iter=300, tol=0)
    f0 = fun(x0)[0]
    history = np.concatenate([[f0], res.loss_history])
    assert np.all(np.diff(history) <= 1e-15 * np.abs(history[1:]))


def test_fixed_step_gd_is_the_textbook_iteration():
    fun, x0 = _logistic_problem(load_breast_cancer)
    x = x0.copy()
    expected = []
    for _ in range(25):
        x = x - 0.05 * fun(x)[1]
        expected.append(fun(x)[0])
    res = gd(fun, x0, max_iter=25, tol=0, learning_rate=0.05)
    assert res.n_iter == 25 and res.n_fun == 26
    np.testing.assert_array_equal(res.x, x)
    np.testing.assert_array_equal(res.loss_history, expected)


@pytest.mark.parametrize("name", sorted(SOLVERS))
@pytest.mark.parametrize("max_iter", [0, 1, 7])
def test_tol_zero_runs_exactly_max_iter(name, max_iter):
    fun, x0 = _logistic_problem(load_wine)
    res = SOLVERS[name](fun, x0, max_iter=max_iter, tol=0)
    assert res.n_iter == max_iter
    assert res.status == "max_iter"
    if max_iter == 0:
        np.testing.assert_array_equal(res.x, x0)


@pytest.mark.parametrize("name", ["gd", "agd"])
def test_fixed_step_far_too_large_reports_divergence(name):
    fun, x0 = _logistic_problem(load_breast_cancer)
    res = SOLVERS[name](fun, x0, max_iter=100, tol=1e-4, learning_rate=1e6)
    assert res.status == "diverged"


def test_x0_is_not_modified():
    fun, x0 = _logistic_problem(load_wine)
    x0[:] = 0.1
    before = x0.copy()
    for solver in SOLVERS.values():
        solver(fun, x0, max_iter=20, tol=0)
        np.testing.assert_array_equal(x0, before)


def test_callback_sees_every_iteration():
    fun, x0 = _logistic_problem(load_wine)
    seen = []
    res = lbfgs(fun, x0, max_iter=15, tol=0, callback=lambda k, *rest: seen.append(k))
    assert seen == list(range(1, res.n_iter + 1))


@pytest.mark.parametrize("name", ["gd", "agd"])
def test_prox_step_solves_l1_problem_in_closed_form(name):
    """min ||x - c||^2 / 2 + lam ||x||_1 is soft-thresholding of c."""
    rng = np.random.default_rng(1)
    c = rng.normal(size=30) * 2
    lam = 0.8
    l1 = Prox(
        prox=lambda x, t: np.sign(x) * np.maximum(np.abs(x) - lam * t, 0),
        value=lambda x: lam * np.abs(x).sum(),
    )
    fun = _quadratic(np.eye(30), c)
    res = SOLVERS[name](fun, np.zeros(30), max_iter=1000, tol=1e-12, prox=l1)
    expected = np.sign(c) * np.maximum(np.abs(c) - lam, 0)
    assert res.status == "converged"
    np.testing.assert_allclose(res.x, expected, atol=1e-10)
    assert np.count_nonzero(res.x) == np.count_nonzero(expected)


def test_lbfgs_refuses_prox_and_fixed_step():
    fun = _quadratic(np.eye(2), np.ones(2))
    with pytest.raises(ValueError, match="smooth"):
        lbfgs(fun, np.zeros(2), max_iter=5, tol=0, prox=Prox(lambda x, t: x, sum))
    with pytest.raises(ValueError, match="learning_rate"):
        lbfgs(fun, np.zeros(2), max_iter=5, tol=0, learning_rate=0.1)


def test_float32_stays_float32_and_stops_at_its_precision():
    fun, x0 = _logistic_problem(load_breast_cancer, dtype=np.float32)
    for name, solver in SOLVERS.items():
        res = solver(fun, x0, max_iter=100000, tol=1e-12)
        assert res.x.dtype == np.float32, name
        assert res.status == "stalled", name
        assert res.n_iter < 10000, name
        assert res.optimality < 1e-6, name
        assert np.isfinite(res.x).all()


def test_agd_is_restarted_and_reaches_the_optimum_on_separable_data():
    """Without a penalty the optimum is at infinity: no NaN, monotone."""
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    w = np.full(4, 0.25)

    def fun(coef):
        return linear_loss_gradient(coef, X, y, w, 0.0, True, 2)

    for solver in (gd, agd, lbfgs):
        res = solver(fun, np.zeros(2), max_iter=200, tol=0)
        assert np.isfinite(res.x).all()
        assert res.fun < 1e-3
