"""Array API dispatch: the same fits on array-api-strict and PyTorch arrays.

scikit-learn's own Array API checks (namespace, device, shapes and dtypes of
every fitted attribute and method output) run for every solver in
``test_common.py``.  Here: the coefficients are those of the NumPy fit, and
the solvers' loops stay on the device (no conversion to NumPy, a bounded
number of scalar reads).
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import config_context
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

import sklogreg._estimator
from sklogreg import GradientDescentLogisticRegression
from sklogreg._array_api import get_namespace_and_device, to_numpy

NAMESPACES = [
    pytest.param(("array_api_strict", "CPU_DEVICE"), id="strict"),
    # a device of array-api-strict's own: any conversion to NumPy raises
    pytest.param(("array_api_strict", "device1"), id="strict-device1"),
    pytest.param(("torch", "cpu"), id="torch-cpu"),
]
SOLVERS = [
    pytest.param(("lbfgs", 0.0), id="lbfgs"),
    pytest.param(("agd", 0.0), id="agd"),
    pytest.param(("gd", 0.0), id="gd"),
    pytest.param(("agd", 0.5), id="agd-elasticnet"),
    pytest.param(("gd", 1.0), id="gd-l1"),
]


def _namespace(name, device):
    """The array module and device object for a test namespace."""
    if name == "torch":
        torch = pytest.importorskip("torch")
        return torch, torch.device(device)
    xp = pytest.importorskip(name)
    return xp, xp.Device(device)


def _problem(n_classes, dtype, n_samples=120):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X).astype(dtype)
    weights = np.random.default_rng(0).uniform(0.5, 2.0, n_samples).astype(dtype)
    return X, y, weights


def _assert_same_model(model, reference, rtol):
    """Coefficients and intercepts equal to ``rtol`` relative to their norm (a
    gradient at ``tol`` leaves the small coefficients off by about ``tol``)."""
    with config_context(array_api_dispatch=True):
        coef, intercept = to_numpy(model.coef_), to_numpy(model.intercept_)
    assert coef.dtype == reference.coef_.dtype
    assert intercept.dtype == reference.intercept_.dtype
    actual = np.concatenate([coef.ravel(), intercept])
    desired = np.concatenate([reference.coef_.ravel(), reference.intercept_])
    error = np.linalg.norm(actual - desired) / np.linalg.norm(desired)
    assert error <= rtol, f"relative difference {error:.3g} > {rtol}"
    return coef


def _fit_both(namespace, solver, n_classes, dtype, **params):
    """Fit on NumPy arrays, then on the namespace's arrays with dispatch on."""
    xp, device = _namespace(*namespace)
    X, y, weights = _problem(n_classes, dtype)
    solver, l1_ratio = solver
    params = {"solver": solver, "l1_ratio": l1_ratio, "max_iter": 20000, **params}
    reference = GradientDescentLogisticRegression(**params).fit(
        X, y, sample_weight=weights
    )
    with config_context(array_api_dispatch=True):
        model = GradientDescentLogisticRegression(**params).fit(
            xp.asarray(X, device=device),
            xp.asarray(y, device=device),
            sample_weight=xp.asarray(weights, device=device),
        )
        assert get_namespace_and_device(model.coef_)[2] == device
    return reference, model


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_float64_coefficients_equal_numpy(namespace, solver, n_classes):
    reference, model = _fit_both(namespace, solver, n_classes, "float64", tol=1e-10)
    coef = _assert_same_model(model, reference, rtol=1e-8)
    if solver[1] > 0:  # L1: the same exact zeros
        assert np.array_equal(coef == 0, reference.coef_ == 0)


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_float32_coefficients_equal_numpy(namespace, solver, n_classes):
    # tol=1e-7 pins the coefficients to about 1e-6 of the optimum in float32
    reference, model = _fit_both(namespace, solver, n_classes, "float32", tol=1e-7)
    _assert_same_model(model, reference, rtol=1e-4)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_predictions_equal_numpy(namespace):
    reference, model = _fit_both(namespace, ("lbfgs", 0.0), 3, "float64", tol=1e-10)
    xp, device = _namespace(*namespace)
    X, y, _ = _problem(3, "float64")
    with config_context(array_api_dispatch=True):
        X_xp = xp.asarray(X, device=device)
        proba = to_numpy(model.predict_proba(X_xp))
        log_proba = to_numpy(model.predict_log_proba(X_xp))
        labels = to_numpy(model.predict(X_xp))
    assert_allclose(proba, reference.predict_proba(X), rtol=1e-8)
    assert_allclose(log_proba, reference.predict_log_proba(X), rtol=1e-8)
    assert np.array_equal(labels, reference.predict(X))


_CONVERSIONS = ("__array__", "__buffer__", "__dlpack__", "__iter__", "to_device")
_SCALAR_READS = ("__float__", "__bool__", "__int__", "__index__", "__complex__")


class _Counter:
    """Counts conversions and scalar reads of array-api-strict arrays made
    while a solver runs."""

    def __init__(self, monkeypatch, array_type, solver):
        self.in_solver = False
        self.counts = dict.fromkeys(_CONVERSIONS + _SCALAR_READS, 0)
        self.results = []
        for name in self.counts:
            monkeypatch.setattr(array_type, name, self._counted(array_type, name))
        original = sklogreg._estimator.SOLVERS[solver]

        def solve(*args, **kwargs):
            self.in_solver = True
            try:
                result = original(*args, **kwargs)
            finally:
                self.in_solver = False
            self.results.append(result)
            return result

        monkeypatch.setitem(sklogreg._estimator.SOLVERS, solver, solve)

    def _counted(self, array_type, name):
        method = getattr(array_type, name)

        def counted(array, *args, **kwargs):
            if self.in_solver:
                self.counts[name] += 1
            return method(array, *args, **kwargs)

        return counted

    def reads(self):
        return sum(self.counts[name] for name in _SCALAR_READS)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_solver_loop_stays_on_the_device(monkeypatch, solver, n_classes):
    xp = pytest.importorskip("array_api_strict")
    counter = _Counter(monkeypatch, type(xp.asarray([0.0])), solver[0])
    reads_per_evaluation = []
    for n_samples in (60, 600):  # the reads must not grow with the data
        X, y, weights = _problem(n_classes, "float64", n_samples=n_samples)
        device = xp.Device("device1")
        with config_context(array_api_dispatch=True):
            GradientDescentLogisticRegression(
                solver=solver[0], l1_ratio=solver[1], max_iter=30, tol=0
            ).fit(
                xp.asarray(X, device=device),
                xp.asarray(y, device=device),
                sample_weight=xp.asarray(weights, device=device),
            )
        result = counter.results[-1]
        assert result.n_iter == 30
        assert all(counter.counts[name] == 0 for name in _CONVERSIONS), counter.counts
        reads_per_evaluation.append(counter.reads() / result.n_fun)
        for name in _SCALAR_READS:
            counter.counts[name] = 0
    # per evaluation: is the point finite, the largest margin, the objective,
    # the penalty, is the gradient finite; per line-search trial or iteration:
    # slopes, curvature pairs, the stopping measure.  About ten, whatever the
    # size of the data
    assert max(reads_per_evaluation) <= 16, reads_per_evaluation


def test_without_dispatch_torch_input_gives_numpy_model():
    torch = pytest.importorskip("torch")
    X, y, weights = _problem(2, "float64")
    reference = GradientDescentLogisticRegression().fit(X, y)
    model = GradientDescentLogisticRegression().fit(torch.asarray(X), torch.asarray(y))
    assert isinstance(model.coef_, np.ndarray)
    assert_allclose(model.coef_, reference.coef_, rtol=1e-12)


def test_loss_curve_display_of_a_device_fit():
    pytest.importorskip("matplotlib")
    from sklogreg.plotting import LossCurveDisplay

    xp = pytest.importorskip("array_api_strict")
    X, y, _ = _problem(2, "float64")
    device = xp.Device("device1")  # refuses np.asarray: the display must convert
    with config_context(array_api_dispatch=True):
        model = GradientDescentLogisticRegression().fit(
            xp.asarray(X, device=device), xp.asarray(y, device=device)
        )
        expected = to_numpy(model.loss_curve_)
    display = LossCurveDisplay.from_estimator(model)  # dispatch off again
    assert_allclose(display.loss_line_.get_ydata(), expected)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_class_weight_and_warm_start_equal_numpy(namespace):
    """The NumPy-only class weights are computed before the loop; a warm
    start begins from the device model."""
    xp, device = _namespace(*namespace)
    X, y, weights = _problem(3, "float64")
    params = {"class_weight": "balanced", "tol": 1e-10, "max_iter": 1000}
    reference = GradientDescentLogisticRegression(**params).fit(X, y, weights)
    with config_context(array_api_dispatch=True):
        X_xp, y_xp = xp.asarray(X, device=device), xp.asarray(y, device=device)
        model = GradientDescentLogisticRegression(**params).fit(
            X_xp, y_xp, xp.asarray(weights, device=device)
        )
        _assert_same_model(model, reference, rtol=1e-8)
        # from the fitted model, a warm start is already at the optimum
        model.set_params(warm_start=True).fit(
            X_xp, y_xp, xp.asarray(weights, device=device)
        )
        assert int(model.n_iter_[0]) <= 1
    _assert_same_model(model, reference, rtol=1e-8)


def test_readme_torch_example_runs():
    pytest.importorskip("torch")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## PyTorch, CuPy and GPUs", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    clf, proba = namespace["clf"], namespace["proba"]
    assert type(proba).__module__.startswith("torch")
    assert tuple(proba.shape) == (100_000, 2)
    assert clf.coef_.device == proba.device == namespace["X"].device


def test_gpu_benchmark_runs_on_torch_cpu_and_refuses_without_cuda():
    torch = pytest.importorskip("torch")
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu.py"
    sizes = ["--binary", "2000", "10", "--multiclass", "1000", "8"]
    done = subprocess.run(
        [sys.executable, str(script), "--device", "cpu", *sizes],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| sk")]
    assert len(rows) == 6  # three fits, two problems
    for problem in (rows[:3], rows[3:]):
        objectives = [float(row.split("|")[5]) for row in problem]
        # the torch fit and the NumPy fit reach the same model
        assert objectives[0] == pytest.approx(objectives[1], rel=1e-6)
    if not torch.cuda.is_available():
        refused = subprocess.run(
            [sys.executable, str(script), *sizes],
            capture_output=True,
            text=True,
            check=False,
        )
        assert refused.returncode == 2
        assert "needs a CUDA GPU" in refused.stdout
