"""`make` installs missing Debian packages as root, and otherwise says in one line what to install."""

from __future__ import annotations

import subprocess

import pytest

from machinery import system_packages


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Pretend no package is installed; record the apt-get commands instead of running them."""
    commands: list[list[str]] = []
    monkeypatch.setattr(system_packages.shutil, "which", lambda program: "/usr/bin/" + program if program == "apt-get" else None)

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    monkeypatch.setattr(system_packages.subprocess, "run", fake_run)
    return commands


def test_everything_present_means_nothing_to_do() -> None:
    assert system_packages.missing_packages(["graphviz", "chromium"]) == []
    assert system_packages.main(["graphviz", "chromium"]) == 0


def test_as_root_missing_packages_are_installed_with_apt(
    nothing_installed: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 0)
    assert system_packages.main(["graphviz", "chromium"]) == 0
    assert nothing_installed[-2] == ["apt-get", "update", "-qq"]
    assert nothing_installed[-1][-4:] == ["graphviz", "chromium", "librsvg2-bin", "fonts-dejavu-core"]


def test_without_root_one_line_says_what_to_install(
    nothing_installed: list[list[str]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)
    assert system_packages.main(["graphviz"]) == 1
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    assert "sudo apt-get install graphviz" in message
    assert not any(command[0] == "apt-get" for command in nothing_installed)
