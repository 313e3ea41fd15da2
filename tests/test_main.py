"""``python -m sklogreg`` end to end."""

import re
import subprocess
import sys


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sklogreg", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_prints_both_models_scores():
    result = _run()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sklogreg (lbfgs)" in out and "scikit-learn" in out
    accuracies = re.search(r"test accuracy\s+([\d.]+)\s+([\d.]+)", out)
    assert accuracies is not None
    ours, theirs = map(float, accuracies.groups())
    assert ours > 0.9 and abs(ours - theirs) <= 0.02


def test_help_explains_the_options():
    result = _run("--help")
    assert result.returncode == 0
    for option in ("--solver", "--C", "--seed"):
        assert option in result.stdout


def test_bad_option_is_a_usage_error():
    result = _run("--solver", "newton")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
