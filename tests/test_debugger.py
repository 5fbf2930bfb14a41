"""What a student sees stepping into ``loss.backward()`` in pdb, driven as a real session."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

UPDATE = "inp.grad += local * upstream"
SCRIPTS = {
    "neuron": """
        from tinygrad_edu import Value
        x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
        y = (x * w + b).sigmoid()
        loss = (y - 1.0) ** 2
        loss.backward()
        print("w.grad", w.grad)
    """,
    "mlp": """
        from tinygrad_edu import MLP
        model = MLP(2, [2, 1], seed=0)
        loss = (model([0.5, -1.0]) - 1.0) ** 2
        loss.backward()
        print("done")
    """,
}


class Pdb:
    """A pdb session on a script: send a command, read what pdb prints up to its next prompt."""

    def __init__(self, script: str) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONBREAKPOINT="0")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pdb", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.read()

    def read(self) -> str:
        text = ""
        while not text.endswith("(Pdb) "):
            character = self.process.stdout.read(1)
            if not character:
                raise AssertionError(f"pdb ended; it printed:\n{text}")
            text += character
        return text

    def send(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read().removesuffix("(Pdb) ")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()


@pytest.fixture
def session(tmp_path, request):
    path = tmp_path / "student.py"
    path.write_text(textwrap.dedent(SCRIPTS[request.param]))
    line = path.read_text().splitlines().index("loss.backward()") + 1
    pdb = Pdb(str(path))
    pdb.send(f"break {path}:{line}")
    assert "-> loss.backward()" in pdb.send("continue")
    yield pdb
    pdb.close()


@pytest.mark.parametrize("session", ["neuron", "mlp"], indirect=True)
def test_one_step_and_a_few_nexts_reach_the_chain_rule_line(session):
    commands, shown = ["step"], session.send("step")
    while UPDATE not in shown:
        assert len(commands) < 10, f"after {commands}: {shown}"
        commands.append("next")
        shown = session.send("next")
    assert len(commands) <= 10
    node = session.send("p node")
    assert node.startswith("Value(") and "grad=1.0" in node and "op='**2'" in node
    assert session.send("p node.grad").strip() == "1.0"
    assert session.send("p type(inp.grad).__name__").strip() == "'float'"
    assert session.send("p local, upstream").strip().startswith("(")


@pytest.mark.parametrize("session", ["neuron"], indirect=True)
def test_every_grad_is_a_number_while_the_pass_starts(session):
    import tinygrad_edu.accumulation as accumulation

    source = Path(accumulation.__file__).read_text().splitlines()
    line = source.index("                node.grad = 0.0") + 1
    session.send(f"break {accumulation.__file__}:{line}")
    session.send("continue")
    kinds = session.send("p sorted({type(n.grad).__name__ for n in self.order})")
    assert kinds.strip() == "['float']"
    assert session.send("p self").strip().startswith("Accumulation(")


@pytest.mark.parametrize("session", ["neuron"], indirect=True)
def test_a_step_of_backward_steps_reads_as_its_chain_rule_line(session):
    session.send("import tinygrad_edu")
    shown = session.send("p next(iter(loss.backward_steps()))")
    assert ".grad += " in shown and "→" in shown
