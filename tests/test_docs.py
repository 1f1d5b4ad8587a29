"""The README's examples run, and every command is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kpi_engine.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def test_readme_python_example_gives_what_its_comments_say(monkeypatch):
    monkeypatch.chdir(ROOT)
    block = re.search(r"```python\n(.*?)```", README, re.DOTALL).group(1)
    namespace: dict = {}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        code, comment = code.strip(), comment.strip()
        if not code:
            continue
        if comment and "..." not in comment and not comment.startswith("the "):
            assert eval(code, namespace) == ast.literal_eval(comment), line
            checked += 1
        else:
            exec(code, namespace)  # noqa: S102 - runs the README's own example, line by line
    assert checked >= 1


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name):
    assert f"kpi-dashboard {name}" in README


def test_readme_starts_with_the_install_and_test_commands():
    first = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1).strip().splitlines()
    assert first[0].startswith('pip install -e ".[test]"') and "kpi-dashboard fill" in first[0]
    assert first[1] == "python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    check = (ROOT / "scripts" / "check").read_text("utf-8")
    assert 'pip install --quiet -e ".[test]"' in ci and "bash scripts/check" in ci
    assert "python -m pytest" in check
