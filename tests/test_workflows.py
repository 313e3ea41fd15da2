"""The estimator inside scikit-learn workflows."""

import pickle

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklogreg import GradientDescentLogisticRegression


def test_pipeline_in_grid_search_over_C_matches_sklearn():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    grid = {"clf__C": [0.01, 0.1, 1.0, 10.0]}
    searches = {}
    for name, clf in [
        ("ours", GradientDescentLogisticRegression(tol=1e-8)),
        ("sklearn", LogisticRegression(tol=1e-10, max_iter=10000)),
    ]:
        pipe = make_pipeline(StandardScaler(), clf)
        pipe.steps[-1] = ("clf", clf)
        searches[name] = GridSearchCV(pipe, grid, cv=5).fit(X_train, y_train)
    ours, reference = searches["ours"], searches["sklearn"]
    assert ours.best_params_ == reference.best_params_
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"],
        reference.cv_results_["mean_test_score"],
        atol=1e-12,
    )
    assert ours.score(X_test, y_test) == reference.score(X_test, y_test)


def test_cross_val_score_multiclass():
    X, y = load_iris(return_X_y=True)
    ours = cross_val_score(
        make_pipeline(StandardScaler(), GradientDescentLogisticRegression(tol=1e-8)),
        X,
        y,
        cv=5,
    )
    reference = cross_val_score(
        make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10)), X, y, cv=5
    )
    assert ours.shape == (5,)
    np.testing.assert_allclose(ours, reference)
    assert ours.mean() > 0.9


def test_pickle_round_trip_gives_identical_predictions():
    X, y = load_iris(return_X_y=True)
    model = GradientDescentLogisticRegression(solver="agd").fit(X / 8, y)
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(clone.predict(X), model.predict(X))
    np.testing.assert_array_equal(clone.loss_curve_, model.loss_curve_)


def test_dataframe_sets_feature_names_in():
    data = load_iris(as_frame=True)
    model = GradientDescentLogisticRegression().fit(data.data, data.target)
    np.testing.assert_array_equal(model.feature_names_in_, data.data.columns)
    renamed = data.data.rename(columns=lambda c: c.upper())
    with np.testing.assert_raises_regex(ValueError, "feature names"):
        model.predict(renamed)
    assert isinstance(data.data, pd.DataFrame)
