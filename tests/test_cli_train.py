"""`tinygrad-edu train` end to end in a temporary folder, and its errors."""

import json
import subprocess
import sys

import pytest

from tinygrad_edu import MLP, make_xor
from tinygrad_edu.cli import main


def test_train_saves_a_loadable_model_and_a_boundary_picture(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    model_path, picture = tmp_path / "model.json", tmp_path / "boundary.png"
    argv = ["train", "--dataset", "xor", "--samples", "24", "--hidden", "6", "--epochs", "40"]
    argv += ["--seed", "1", "--quiet", "--save", str(model_path), "--plot", str(picture)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "trained MLP(2, [6, 1]) on 24 xor points" in out
    assert "training accuracy 100.0%" in out
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    model = MLP(2, [6, 1], seed=99)
    model.load(model_path)  # the saved file is a complete model of that architecture
    assert json.loads(model_path.read_text())["parameters"] == model.state_dict()
    X, y = make_xor(24, noise=0.1, seed=1)
    assert [int(model(x).data > 0) for x in X] == y


def test_python_dash_m_runs_the_same_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "train", "--dataset", "spirals", "--samples", "12"]
        + ["--loss", "cross_entropy", "--hidden", "4", "--epochs", "2", "--optimizer", "sgd"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "trained MLP(2, [4, 3]) on 12 spirals points" in result.stdout
    assert "training:" in result.stderr  # the progress bar


def test_help_describes_every_option(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["train", "--help"])
    assert exit.value.code == 0
    text = capsys.readouterr().out
    for option in ["--dataset", "--hidden", "--activation", "--loss", "--epochs", "--lr"]:
        assert option in text
    for option in ["--seed", "--plot", "--save", "--optimizer", "--batch-size", "--samples"]:
        assert option in text


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--lr", "-1"], "argument --lr: expected a number > 0, got '-1'"),
        (["train", "--hidden", "16,x"], "expected layer sizes separated by commas"),
        (["train", "--hidden", "16,0"], "every layer size must be >= 1"),
        (["train", "--epochs", "ten"], "argument --epochs: expected a whole number, got 'ten'"),
        (["train", "--dataset", "iris"], "argument --dataset: invalid choice: 'iris'"),
        (["train", "--noise", "nan"], "argument --noise: expected a number >= 0"),
        (["train", "--dataset", "spirals", "--loss", "hinge"], "use --loss cross_entropy"),
        (
            ["train", "--save", "/no/such/folder/m.json"],
            "the folder /no/such/folder does not exist",
        ),
        (["train", "--plot", "."], "that is a folder"),
        (["teach"], "invalid choice: 'teach'"),
    ],
)
def test_bad_values_exit_2_with_one_line(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exit:
        code = exit.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
