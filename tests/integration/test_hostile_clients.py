"""Slow and hostile clients do not starve the server: scripts/bench-hostile.py, scaled down.

The script exits non-zero if any fresh GET during the attack fails (http.client gives up
after 30 s); the latency figures it prints are for docs/performance.md, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import harness

REPO = Path(__file__).resolve().parents[2]


def test_fresh_requests_are_served_during_a_slow_client_attack():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench-hostile.py"), "--binary",
         str(harness.binary_path()), "--slowloris", "60", "--tricklers", "30",
         "--non-readers", "30", "--duration", "8"],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GET during: n=" in result.stdout, result.stdout
