"""Every CLI command has help text and the parser rejects unknown commands."""

from __future__ import annotations

import pytest

from zvit.cli import build_parser, main


def test_every_command_has_help() -> None:
    commands = {
        c.dest: c.help
        for c in next(a for a in build_parser()._actions if a.dest == "command")._choices_actions
    }
    assert set(commands) == {
        "run",
        "ledger",
        "quarantine",
        "requeue",
        "marts",
        "config",
        "docs",
        "report",
        "export",
    }
    assert all(help_text and len(help_text) > 10 for help_text in commands.values())


@pytest.mark.parametrize(
    "command", ["run", "ledger", "quarantine", "marts", "config", "docs", "report", "export"]
)
def test_command_help_exits_cleanly(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: zvit" in capsys.readouterr().out


def test_run_rejects_a_missing_inbox(tmp_path, capsys) -> None:
    assert main(["run", "--inbox", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().out


def test_ledger_without_warehouse_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path))
    assert main(["ledger"]) == 1
    assert "zvit run" in capsys.readouterr().out
