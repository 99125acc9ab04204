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
    assert "[bot → Grannsamverkan Centrum] Polisen informerar – Centrum, Norr" in out
    assert "3 av 3 har fått meddelandet" in out
    assert "Området Västra Kumla (vaster) är skapat." in out
    assert "[bot → Polisen Kumla] Välkommen! Du kan nu skicka meddelanden från polisen" in out
    assert "Gruppen är nu kopplad till Centrum." in out
    # Tips: a one-line tip, an anonymous guided one, and a status change the reporter hears of
    assert "[bot → Anna] ✅ Tack! Ditt tips har referensen T-" in out
    assert "Ditt anonyma tips har referensen T-" in out
    assert out.count("[bot → Kerstin (samordnare)] Nytt tips") == 2
    assert "Det är nu läst" in out
    assert (tmp_path / "demo.sqlite3").exists()
    # Reminders and the weekly summary with its chart
    assert "Påminnelse 2 sparad" in out
    assert "[bot → Grannsamverkan Centrum] Påminnelse – Centrum" in out
    assert "Veckosammanfattning – vecka" in out and "Påminnelser: 1 st" in out
    chart = tmp_path / "weekly-summary.png"
    assert f"saved to {chart}" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Traceback" not in result.stderr
