"""``python -m sklogreg`` end to end."""

import re
import subprocess
import sys

import pytest


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sklogreg", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_demo_prints_both_models_scores_and_saves_the_loss_curve(tmp_path):
    result = _run("--plot", str(tmp_path / "curve.png"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sklogreg (lbfgs)" in out and "scikit-learn" in out
    accuracies = re.search(r"test accuracy\s+([\d.]+)\s+([\d.]+)", out)
    assert accuracies is not None
    ours, theirs = map(float, accuracies.groups())
    assert ours > 0.9 and abs(ours - theirs) <= 0.02
    for metric in ("test log-loss", "iterations", "fit time"):
        assert metric in out
    png = tmp_path / "curve.png"
    assert f"loss curve saved to {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_splice_command_reproduces_the_tutorial(splice_path):
    result = _run("splice", str(splice_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    reported = next(line for line in lines if line.startswith("tutorial (reported)"))
    ours = next(line for line in lines if line.startswith("sklogreg, tutorial"))
    assert re.findall(r"[\d.]+%", reported) == ["98.26%", "96.88%"]
    assert re.findall(r"[\d.]+%", ours) == ["98.26%", "96.88%"]
    assert "287 columns" in result.stdout
    lasso = [line for line in lines if line.startswith("sklogreg, L1")]
    assert len(lasso) == 2
    kept = [int(re.search(r"(\d+)/287", line).group(1)) for line in lasso]
    assert 0 < kept[1] < kept[0] < 246  # sparser than L2, sparser with smaller C
    assert "all three classes (multinomial)" in result.stdout
    three_class = [line for line in lines[lines.index(next(
        line for line in lines if line.startswith("all three classes"))):]
        if "+/-" in line]  # fmt: skip
    assert len(three_class) == 2
    for line in three_class:
        assert float(re.search(r"([\d.]+)%", line).group(1)) > 90


@pytest.mark.parametrize(
    "content", ["EI, ONLY-TWO-FIELDS\n", "XX, NAME, " + "A" * 60 + "\n", ""]
)
def test_splice_command_malformed_file_is_a_one_line_error(tmp_path, content):
    path = tmp_path / "splice.data"
    path.write_text(content)
    result = _run("splice", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_splice_command_missing_file(tmp_path):
    result = _run("splice", str(tmp_path / "absent.data"))
    assert result.returncode == 2
    assert "No such file" in result.stderr and "Traceback" not in result.stderr


def test_help_explains_the_options():
    result = _run("--help")
    assert result.returncode == 0
    for option in ("--solver", "--C", "--seed", "--plot", "--no-plot", "splice"):
        assert option in result.stdout
    result = _run("splice", "--help")
    assert result.returncode == 0 and "--cv" in result.stdout


def test_bad_option_is_a_usage_error():
    result = _run("--solver", "newton")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
