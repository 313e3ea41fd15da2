"""The batch-gradient-descent tutorial this project started from, reproduced."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder

from sklogreg import GradientDescentLogisticRegression
from sklogreg.datasets import load_splice


def test_splice_tutorial_accuracies_exactly(splice_path):
    sequences, labels, _ = load_splice(splice_path)
    assert sequences.shape == (3190, 60)
    # one-hot over all 3190 rows, as pandas.get_dummies per position: 287 columns
    X = OneHotEncoder(sparse_output=False).fit_transform(sequences)
    assert X.shape == (3190, 287)
    X, y = X[:1535], labels[:1535]  # EI vs IE
    assert set(y) == {"EI", "IE"}
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0
    )
    model = GradientDescentLogisticRegression(
        C=np.inf, solver="gd", learning_rate=0.1, max_iter=300, tol=0
    ).fit(X_train, y_train)
    assert (model.predict(X_train) == y_train).sum() == 1131
    assert len(y_train) == 1151
    assert (model.predict(X_test) == y_test).sum() == 372
    assert len(y_test) == 384
    assert round(100 * model.score(X_train, y_train), 2) == 98.26
    assert round(100 * model.score(X_test, y_test), 2) == 96.88
    assert model.n_iter_[0] == 300


def test_splice_counts_match_its_readme(splice_path):
    _, labels, names = load_splice(splice_path)
    classes, counts = np.unique(labels, return_counts=True)
    assert dict(zip(classes, counts, strict=True)) == {"EI": 767, "IE": 768, "N": 1655}
    assert len(set(names)) == 3178


@pytest.mark.parametrize(
    "line, problem",
    [
        ("EI, NAME\n", "3 comma-separated fields"),
        ("XX, NAME, " + "A" * 60 + "\n", "class 'XX'"),
        ("EI, NAME, " + "A" * 59 + "\n", "sequence of 60"),
        ("EI, NAME, " + "A" * 59 + "Z\n", "sequence of 60"),
        ("\n", "no data lines"),
    ],
)
def test_malformed_splice_file_names_the_problem(tmp_path, line, problem):
    path = tmp_path / "splice.data"
    path.write_text("IE, OK, " + "C" * 60 + "\n" + line if line.strip() else line)
    with pytest.raises(ValueError, match=problem) as error:
        load_splice(path)
    if line.strip():
        assert "line 2" in str(error.value)
