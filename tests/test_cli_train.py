"""`tinygrad-edu train` end to end in a temporary folder, and its errors."""

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

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
    assert (
        "trained MLP(2, [6, 1]) on 24 xor points: 40 epochs, hinge loss, adam with lr 0.05" in out
    )
    assert "after training: loss 0.0000, accuracy 100.0%" in out
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
    # stderr is a pipe here, not a terminal: one summary line instead of the bar's redraws
    assert "training: 2 epochs in " in result.stderr and "\r" not in result.stderr


def test_help_returns_0_and_describes_every_option(capsys):
    assert main(["--help"]) == 0
    top = capsys.readouterr().out
    assert "train" in top and "``" not in top  # plain text, not reStructuredText
    assert main(["train", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ["--dataset", "--hidden", "--activation", "--loss", "--epochs", "--lr"]:
        assert option in text
    flat = " ".join(text.split())  # argparse wraps long lines
    assert "(default: None)" not in flat and "(default: False)" not in flat
    assert flat.count("(default: all") == 1 and "(default: all of them) (default" not in flat
    assert "hidden layer sizes, separated by commas (default: 16,16)" in flat
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
        (["train", "--save", "/proc/nope.json"], "--save /proc/nope.json: cannot write in /proc"),
        (["train", "--plot", "."], "that is a folder"),
        (["train", "--plot", "b.xyz"], "--plot b.xyz: give a file name ending in one of"),
        (["train", "--plot", "boundary"], "--plot boundary: give a file name ending in one of"),
        (["teach"], "invalid choice: 'teach'"),
    ],
)
def test_bad_values_exit_2_with_one_line_before_training(argv, message, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert "trained" not in out


def test_an_existing_file_in_the_way_of_the_folder_is_refused(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("keep me")
    assert main(["train", "--quiet", "--save", str(tmp_path / "notes.txt" / "m.json")]) == 2
    assert "notes.txt is a file, not a folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_folders_are_made_like_graph_does(tmp_path, capsys):
    model_path = tmp_path / "new" / "deeper" / "m.json"
    argv = ["train", "--dataset", "xor", "--samples", "8", "--hidden", "3", "--epochs", "2"]
    assert main([*argv, "--quiet", "--save", str(model_path)]) == 0
    assert json.loads(model_path.read_text())["format"] == "tinygrad_edu.model"


@pytest.mark.parametrize(
    "argv",
    [
        ["--loss", "cross_entropy", "--optimizer", "sgd", "--lr", "1e308"],
        ["--loss", "bce", "--lr", "1e300"],
        ["--loss", "hinge", "--optimizer", "sgd", "--lr", "1e300"],
    ],
)
def test_divergence_is_one_line_and_leaves_no_files(argv, tmp_path, capsys):
    model_path = tmp_path / "new" / "m.json"
    argv = [
        "train",
        "--quiet",
        "--samples",
        "20",
        "--epochs",
        "3",
        "--save",
        str(model_path),
        *argv,
    ]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "tinygrad-edu train: error: training diverged at epoch" in err
    assert "lower the learning rate" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "trained" not in out
    assert list(tmp_path.iterdir()) == []  # no folder made, no temporary file left


def test_the_default_hidden_layers_are_16_and_16(capsys):
    assert main(["train", "--dataset", "xor", "--samples", "8", "--epochs", "1", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "trained MLP(2, [16, 16, 1]) on 8 xor points" in captured.out
    assert captured.err == ""  # --quiet: no bar and no summary line


def test_without_a_loss_spirals_get_cross_entropy_and_one_output_per_class(capsys):
    argv = ["train", "--dataset", "spirals", "--samples", "12", "--hidden", "4", "--epochs", "2"]
    assert main([*argv, "--quiet"]) == 0  # was exit code 2: "--loss hinge tells 2 classes apart"
    assert "MLP(2, [4, 3]) on 12 spirals points: 2 epochs, cross_entropy loss" in (
        capsys.readouterr().out
    )


def test_the_squared_error_gets_a_learning_rate_it_learns_with(capsys):
    argv = ["train", "--loss", "mse", "--samples", "30", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "mse loss, adam with lr 0.02" in out and "accuracy 100.0%" in out
    assert main([*argv, "--lr", "0.1"]) == 0  # the old default: every relu dies
    assert "accuracy 50.0%" in capsys.readouterr().out


def test_one_run_reports_accuracies_named_for_what_they_are(capsys):
    """The summary line measures the last epoch before its update; the report, after training."""
    assert main(["train", "--dataset", "xor", "--samples", "4", "--epochs", "2"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("training: 2 epochs in ")
    assert err.endswith(" s; during the last epoch: loss 0.4745, accuracy 100.0%\n")
    assert out.splitlines()[-1] == "after training: loss 0.3827, accuracy 100.0%"
    assert main(["train", "--dataset", "xor", "--samples", "4", "--epochs", "1"]) == 0
    out, err = capsys.readouterr()
    assert "on 4 xor points: 1 epoch, hinge loss" in out  # the loss before step 2, above
    assert out.splitlines()[-1] == "after training: loss 0.4745, accuracy 100.0%"


def test_an_interrupted_quiet_run_says_so_in_one_line_and_writes_nothing(
    tmp_path, capsys, monkeypatch
):
    from tinygrad_edu.optim import Adam

    step, calls = Adam.step, []

    def interrupted_in_step_3(self):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        step(self)

    monkeypatch.setattr(Adam, "step", interrupted_in_step_3)
    argv = ["train", "--samples", "10", "--quiet", "--save", str(tmp_path / "new" / "m.json")]
    assert main([*argv, "--plot", str(tmp_path / "b.png")]) == 130
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "training interrupted (Ctrl-C) after 2 of 100 epochs\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_a_terminal_stops_training_with_one_line(tmp_path):
    """A real Ctrl-C (SIGINT) to a real process whose stderr is a terminal, showing the bar."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    model_path = tmp_path / "models" / "m.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_edu", "train", "--samples", "20", "--epochs", "100000"]
        + ["--save", str(model_path)],
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=tmp_path,
        # Ctrl-C as a shell delivers it, even when this test runs with SIGINT ignored (`cmd &`)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120  # the whole exchange, however the bar keeps redrawing
    try:
        while not re.search(rb" ([3-9]|\d\d+)/100000 ", seen):  # a few epochs are done
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, f"no progress bar within a minute: {seen!r}"
            seen += os.read(leader, 4096)
        process.send_signal(signal.SIGINT)
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 60)
            try:
                chunk = os.read(leader, 4096) if ready else b""
            except OSError:  # the process has gone and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        code = process.wait(timeout=60)
    finally:
        os.close(leader)
        process.kill()
    out = process.stdout.read()
    assert code == 130
    text = seen.decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    after_bar = [line for line in re.split(r"[\r\n]+", text) if line.strip()][-1]
    assert re.fullmatch(r"training interrupted \(Ctrl-C\) after \d+ of 100000 epochs", after_bar)
    assert out == b""  # nothing reported as trained, nothing said to be saved
    assert list(tmp_path.iterdir()) == []  # no model, no folder, no temporary file


def test_the_optimizer_may_be_named_as_its_class_is(capsys):
    argv = ["train", "--dataset", "xor", "--samples", "8", "--epochs", "1", "--quiet"]
    assert main([*argv, "--optimizer", "SGD"]) == 0
    assert "hinge loss, sgd with lr 1" in capsys.readouterr().out
