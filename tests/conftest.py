from pathlib import Path

import pytest

SPLICE_PATH = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SPLICE_PATH = (SPLICE_PATH / "splice.data").resolve()


@pytest.fixture
def splice_path():
    """The UCI splice file beside the checkout; skip where it is absent."""
    if not SPLICE_PATH.is_file():
        pytest.skip(f"splice data not found at {SPLICE_PATH} (../shared/data/)")
    return SPLICE_PATH
