import os

# scikit-learn runs its Array API common check (NumPy namespace) only when scipy
# was imported with this set; it must come before anything imports scipy.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI explores the same examples every run (a red CI then means the code
# changed); elsewhere hypothesis draws new ones each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SPLICE_PATH = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SPLICE_PATH = (SPLICE_PATH / "splice.data").resolve()


@pytest.fixture
def splice_path():
    """The UCI splice file beside the checkout; skip where it is absent."""
    if not SPLICE_PATH.is_file():
        pytest.skip(f"splice data not found at {SPLICE_PATH} (../shared/data/)")
    return SPLICE_PATH
