"""`calven-desk --self-test` from the source tree: a separate process, offscreen, that must pass."""

from __future__ import annotations

from tests.cli.run import calven_desk


def test_self_test_passes_and_says_so() -> None:
    result = calven_desk("--self-test", env={"QT_QPA_PLATFORM": "offscreen"}, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    assert len(lines) >= 20 and all(line.startswith("ok") for line in lines)
    assert "row 10: Rejected (code 2)" in result.stdout
    assert "ok   Timeline bars carry their rows' words and colours" in result.stdout
    assert result.stdout.strip().endswith("checks passed.")
