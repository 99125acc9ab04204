"""`python -m bot demo` is the first thing a new user runs: it must work and show the story."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_and_prints_the_transcript(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRANNBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[Anna → bot] /start" in out
    assert "[bot → Anna] Välkommen till grannsamverkan Centrum!" in out
    assert "[bot → Bertil] Välkommen till grannsamverkan Norr!" in out  # deep link
    assert "[Cecilia → bot] /join 692 33" in out  # postcode
    assert "The language is now English." in out
    assert "[bot → Grannsamverkan Centrum] 🚓 Polisen informerar – Centrum, Norr" in out
    assert "Levererade: 3 av 3" in out
    assert "Området Västra Kumla (vaster) är skapat." in out
    assert "[bot → Polisen Kumla] Välkommen! Du kan nu skicka meddelanden från polisen" in out
    assert "Gruppen är nu kopplad till Centrum." in out
    assert (tmp_path / "demo.sqlite3").exists()
    assert "Traceback" not in result.stderr
