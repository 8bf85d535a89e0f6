"""mypy stays clean (STYLE.md: "ruff and mypy clean"): ``make lint`` runs it, and so does ``make test`` through this
test, so a type error fails CI instead of waiting for someone to run the linter.

mypy reads its configuration (the packages to check) from pyproject.toml; a cold run takes about 6 s here, a
warm one (``.mypy_cache``) about 1 s. A failure lists mypy's own messages (file:line: error).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_reports_no_errors() -> None:
    pytest.importorskip("mypy", reason="mypy is a dev dependency (make install)")
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, f"mypy found type errors:\n{result.stdout}{result.stderr}"
