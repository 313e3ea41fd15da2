"""scikit-learn's callback API (scikit-learn >= 1.9)."""

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from sklogreg import GradientDescentLogisticRegression

callback = pytest.importorskip(
    "sklearn.callback", reason="scikit-learn < 1.9 has no callback API"
)

X, Y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)


@pytest.mark.parametrize("solver", ["lbfgs", "agd", "gd"])
def test_scoring_monitor_logs_one_score_per_iteration(solver):
    monitor = callback.ScoringMonitor(scoring="accuracy")
    model = GradientDescentLogisticRegression(solver=solver, max_iter=1000)
    model.set_callbacks(monitor).fit(X, Y)
    log = monitor.get_logs()
    rows = [row for row in log.data if row["task_name"] == "iteration"]
    assert len(rows) == model.n_iter_[0]
    scores = np.array([row["accuracy"] for row in rows])
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[-1] == pytest.approx(model.score(X, Y))


def test_progress_bar_runs_through_a_fit(capsys):
    model = GradientDescentLogisticRegression()
    model.set_callbacks(callback.ProgressBar()).fit(X, Y)
    assert model.n_iter_[0] > 0
    reference = GradientDescentLogisticRegression().fit(X, Y)
    np.testing.assert_array_equal(model.coef_, reference.coef_)


class _TaskRecorder:
    """An auto-propagated callback that records the names of the ended tasks."""

    max_propagation_depth = None

    def __init__(self):
        self.ended = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.ended.append((estimator, context.task_name))


def test_callbacks_propagate_from_grid_search():
    recorder = _TaskRecorder()
    assert isinstance(recorder, callback.AutoPropagatedCallback)
    search = GridSearchCV(GradientDescentLogisticRegression(), {"C": [0.1, 1.0]}, cv=2)
    search.set_callbacks(recorder)
    search.fit(X, Y)
    iterations = [est for est, task in recorder.ended if task == "iteration"]
    # each of the 4 cross-validation fits and the refit reported its iterations
    assert len({id(est) for est in iterations}) == 5
    refit = search.best_estimator_
    assert sum(est is refit for est in iterations) == refit.n_iter_[0]
    search.set_callbacks(callback.ProgressBar()).fit(X, Y)  # and the bar runs
