"""Data sets of the benchmark: fixed seeds, no network.

Each entry is a function ``(full: bool) -> (X, y)``; ``full=False`` gives the
quick sizes, ``full=True`` the sizes named in the speed issue.
"""

from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklogreg.datasets import load_splice

SPLICE_PATH = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SPLICE_PATH = (SPLICE_PATH / "splice.data").resolve()


def splice(full):
    """The tutorial's problem: EI vs IE, one-hot over all rows (1535 x 287)."""
    sequences, labels, _ = load_splice(SPLICE_PATH)
    X = OneHotEncoder(sparse_output=False).fit_transform(sequences)
    return X[:1535], labels[:1535]


def breast_cancer_raw(full):
    return load_breast_cancer(return_X_y=True)


def breast_cancer_std(full):
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def digits(full):
    """10 classes, raw pixel values 0..16."""
    return load_digits(return_X_y=True)


def _dense(n_samples, n_features, n_classes=2, seed=0):
    return make_classification(
        n_samples,
        n_features,
        n_informative=n_features // 2,
        n_classes=n_classes,
        flip_y=0.05,
        random_state=seed,
    )


def dense_std(full):
    X, y = _dense(300_000 if full else 100_000, 60)
    return StandardScaler().fit_transform(X), y


def dense_raw_scales(full):
    """The standardised set with column scales from 1e-2 to 1e2 and offsets."""
    X, y = dense_std(full)
    rng = np.random.default_rng(1)
    scales = 10.0 ** rng.uniform(-2, 2, size=X.shape[1])
    offsets = rng.normal(scale=10, size=X.shape[1])
    return X * scales + offsets, y


def five_classes(full):
    X, y = _dense(100_000 if full else 30_000, 40, n_classes=5, seed=2)
    return StandardScaler().fit_transform(X), y


def sparse_tfidf(full):
    """tf-idf-like: density 0.002, rows L2-normalised, labels of a sparse model."""
    n_samples, n_features = (60_000, 30_000) if full else (20_000, 10_000)
    rng = np.random.default_rng(3)
    X = sp.random(
        n_samples,
        n_features,
        density=0.002,
        format="csr",
        random_state=rng,
        data_rvs=lambda k: rng.exponential(size=k),
    )
    idf = np.log(n_samples / (1.0 + np.bincount(X.indices, minlength=n_features)))
    X = X @ sp.diags(idf)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ X)
    true_coef = rng.normal(size=n_features) * (rng.random(n_features) < 0.05) * 20
    margin = X @ true_coef + rng.logistic(size=n_samples)
    return X, (margin > np.median(margin)).astype(int)


DATASETS = {
    "splice one-hot": splice,
    "breast_cancer raw": breast_cancer_raw,
    "breast_cancer std": breast_cancer_std,
    "digits (10 classes)": digits,
    "dense std": dense_std,
    "dense raw scales": dense_raw_scales,
    "5 classes": five_classes,
    "sparse tf-idf": sparse_tfidf,
}


def available():
    """Names of the data sets that can be built here."""
    names = list(DATASETS)
    if not SPLICE_PATH.is_file():
        names.remove("splice one-hot")
    return names


def gradient_data(full, dtype=np.float64):
    """The dense set of the per-gradient figure: 1M x 100 (quick: 300k x 100)."""
    n_samples = 1_000_000 if full else 300_000
    rng = np.random.default_rng(4)
    X = rng.standard_normal(size=(n_samples, 100), dtype=dtype)
    y = (X[:, :10].sum(axis=1) + rng.logistic(size=n_samples) > 0).astype(int)
    return X, y
