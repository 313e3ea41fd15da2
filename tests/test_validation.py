"""Bad input and numerical extremes: clear errors, finite results, nothing modified."""

import threading
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sklogreg import GradientDescentLogisticRegression

SOLVERS = ["lbfgs", "agd", "gd"]
RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3))
Y = np.where(X[:, 0] + RNG.normal(size=40) > 0, "yes", "no")


def _with(array, index, value):
    array = np.array(array, dtype=float)
    array[index] = value
    return array


BAD_FIT_INPUTS = {
    "NaN in X": (lambda: (_with(X, (0, 0), np.nan), Y, None), "NaN"),
    "inf in X": (lambda: (_with(X, (0, 0), np.inf), Y, None), "infinity"),
    "NaN in y": (lambda: (X, _with(Y == "yes", 0, np.nan), None), "NaN"),
    "one class": (lambda: (X, np.full(40, "yes"), None), "only one class"),
    "continuous y": (lambda: (X, RNG.normal(size=40), None), "continuous"),
    "1-D X": (lambda: (X[:, 0], Y, None), "Expected 2D array"),
    "3-D X": (lambda: (X[:, :, None], Y, None), "dim 3"),
    "X and y lengths": (lambda: (X, Y[:-1], None), "inconsistent numbers"),
    "zero samples": (lambda: (X[:0], Y[:0], None), "0 sample"),
    "zero features": (lambda: (X[:, :0], Y, None), "0 feature"),
    "strings in X": (lambda: (np.full((40, 2), "a"), Y, None), "string to float"),
    "NaN weight": (lambda: (X, Y, _with(np.ones(40), 0, np.nan)), "NaN"),
    "negative weight": (lambda: (X, Y, _with(np.ones(40), 0, -1)), "Negative"),
    "weight shape": (lambda: (X, Y, np.ones(39)), "sample_weight.shape"),
    "all-zero weights": (lambda: (X, Y, np.zeros(40)), "non-zero|sum to zero"),
    "weights of one class only": (
        lambda: (X, Y, (Y == "yes").astype(float)),
        None,  # fits: the zero-weight class still exists; see the test below
    ),
}


@pytest.mark.parametrize("case", [c for c, v in BAD_FIT_INPUTS.items() if v[1]])
def test_bad_fit_input_is_a_clear_value_error(case):
    make, message = BAD_FIT_INPUTS[case]
    X_, y_, sample_weight = make()
    with pytest.raises(ValueError, match=message):
        GradientDescentLogisticRegression().fit(X_, y_, sample_weight=sample_weight)


def test_class_with_zero_weight_gets_finite_model():
    X_, y_, sample_weight = BAD_FIT_INPUTS["weights of one class only"][0]()
    model = GradientDescentLogisticRegression(tol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        model.fit(X_, y_, sample_weight=sample_weight)
    assert np.isfinite(model.coef_).all()
    assert (model.predict(X_) == "yes").all()


@pytest.mark.parametrize(
    "method", ["predict", "predict_proba", "predict_log_proba", "decision_function"]
)
def test_wrong_number_of_features_and_not_fitted(method):
    with pytest.raises(NotFittedError):
        getattr(GradientDescentLogisticRegression(), method)(X)
    model = GradientDescentLogisticRegression().fit(X, Y)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        getattr(model, method)(X[:, :2])


def _extreme_data():
    cases = {
        "features ~1e150": (X * 1e150, Y),
        "features ~1e-150": (X * 1e-150, Y),
        "scales differing by 1e16": (X * np.array([1e8, 1.0, 1e-8]), Y),
        "constant column": (np.column_stack([X, np.full(40, 7.0)]), Y),
        "duplicated columns": (np.column_stack([X, X]), Y),
        "one sample per class": (X[:2], np.array(["a", "b"])),
        "float32 ~1e30": ((X * 1e30).astype(np.float32), Y),
        "float32 ~1e-30": ((X * 1e-30).astype(np.float32), Y),
    }
    return cases


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", sorted(_extreme_data()))
def test_extreme_data_gives_finite_model_without_runtime_warning(case, solver):
    X_, y_ = _extreme_data()[case]
    model = GradientDescentLogisticRegression(solver=solver)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)  # expected on some
        model.fit(X_, y_)
        proba = model.predict_proba(X_)
        log_proba = model.predict_log_proba(X_)
    assert model.coef_.dtype == X_.dtype
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    # the model is no worse than predicting the majority class
    assert model.score(X_, y_) >= max(np.mean(y_ == c) for c in np.unique(y_))


@pytest.mark.parametrize("solver", SOLVERS)
def test_separable_data_without_penalty_warns_and_stays_finite(solver):
    y_ = np.where(X[:, 0] > 0, "yes", "no")  # perfectly separable
    model = GradientDescentLogisticRegression(
        solver=solver, C=np.inf, tol=1e-10, max_iter=100
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(ConvergenceWarning):
            model.fit(X, y_)
    assert np.isfinite(model.coef_).all()
    assert model.score(X, y_) == 1.0
    # labels that no line separates: a minimum exists, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.set_params(tol=1e-6, max_iter=10000).fit(X, Y)
    assert model.score(X, Y) < 1.0


@pytest.mark.parametrize("solver", ["gd", "agd"])
def test_fixed_learning_rate_far_too_large_is_a_clear_error(solver):
    model = GradientDescentLogisticRegression(solver=solver).fit(X, Y)
    coef = model.coef_.copy()
    model.set_params(learning_rate=1e6)
    with pytest.raises(ValueError, match="Lower learning_rate.*'auto'"):
        model.fit(X * 10, Y)
    # the failed fit left the previous fitted state untouched
    np.testing.assert_array_equal(model.coef_, coef)
    assert model.n_features_in_ == 3


def test_failed_fit_keeps_previous_fitted_state():
    model = GradientDescentLogisticRegression().fit(X, Y)
    before = {k: v for k, v in vars(model).items() if k.endswith("_")}
    with pytest.raises(ValueError):
        model.fit(np.column_stack([X, X])[:, :5], np.full(40, "yes"))
    after = {k: v for k, v in vars(model).items() if k.endswith("_")}
    assert before.keys() == after.keys()
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value)
    # an estimator that was never fitted stays unfitted
    fresh = GradientDescentLogisticRegression()
    with pytest.raises(ValueError):
        fresh.fit(X, np.full(40, "yes"))
    with pytest.raises(NotFittedError):
        fresh.predict(X)


@pytest.mark.parametrize("container", ["dense", "csr", "csc", "memmap"])
def test_inputs_are_never_written_to(container, tmp_path):
    X_, y_ = X.copy(), (Y == "yes").astype(float)
    weights = RNG.uniform(0.5, 2, size=40)
    if container == "memmap":
        path = tmp_path / "X.npy"
        np.save(path, X_)
        X_ = np.load(path, mmap_mode="r")  # read-only: a write would raise
        y_.setflags(write=False)
        weights.setflags(write=False)
    elif container != "dense":
        X_ = getattr(sp, f"{container}_matrix")(X_)
    copies = [X_.copy(), y_.copy(), weights.copy()]
    for solver in SOLVERS:
        model = GradientDescentLogisticRegression(
            solver=solver, class_weight="balanced"
        )
        model.fit(X_, y_, sample_weight=weights)
        model.predict_proba(X_)
    for before, after in zip(copies, [X_, y_, weights], strict=True):
        if sp.issparse(after):
            after, before = after.toarray(), before.toarray()
        np.testing.assert_array_equal(after, before)


def test_concurrent_predict_proba_equals_serial():
    big = RNG.normal(size=(20000, 3))
    model = GradientDescentLogisticRegression().fit(X, Y)
    serial = [model.predict_proba(big[i::8]) for i in range(8)]
    results = [None] * 8

    def work(i):
        results[i] = model.predict_proba(big[i::8])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, expected in zip(results, serial, strict=True):
        np.testing.assert_array_equal(got, expected)


@st.composite
def fuzz_inputs(draw):
    n = draw(st.integers(1, 15))
    d = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from([bool, np.int64, np.float32, np.float64]))
    magnitude = draw(st.sampled_from([1e-200, 1e-20, 1.0, 1e20, 1e200]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    X_ = rng.normal(size=(n, d)) * magnitude
    if dtype is np.float32:
        # within a factor ~10 of float32's largest value scikit-learn's own
        # finiteness check (it sums X) warns; our code is tested up to here
        X_ = np.clip(X_, -1e30, 1e30)
    X_ = X_.astype(dtype)
    labels = draw(st.sampled_from([np.array([0, 1, 2]), np.array(["a", "b"]),
                                   np.array([-1.0, 1.0])]))  # fmt: skip
    y_ = labels[rng.integers(0, len(labels), size=n)]
    weights = None
    if draw(st.booleans()):
        weights = rng.integers(0, 3, size=n).astype(float)
    if draw(st.booleans()):
        X_ = sp.csr_matrix(X_)
    solver = draw(st.sampled_from(SOLVERS))
    C = draw(st.sampled_from([1e-3, 1.0, np.inf]))
    return X_, y_, weights, solver, C


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzz_inputs())
def test_fuzz_fits_finite_or_raises_value_error(inputs):
    X_, y_, weights, solver, C = inputs
    model = GradientDescentLogisticRegression(solver=solver, C=C, max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            model.fit(X_, y_, sample_weight=weights)
        except (ValueError, TypeError):
            return
        proba = model.predict_proba(X_)
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert np.isfinite(proba).all()
