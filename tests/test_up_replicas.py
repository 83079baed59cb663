"""`wvggz up --replicas` refuses what cannot run before it starts anything, with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from wvggz.cli import http_ports, main


@pytest.mark.parametrize(
    ("argument", "error"),
    [
        ("notificaties=2", "notificaties runs as one process only"),
        ("portaal=2", "replicas of 'portaal': not a service this platform runs"),
        ("meldpunt=0", "replicas of meldpunt: 0 is not 1 to 16"),
        ("meldpunt=17", "replicas of meldpunt: 17 is not 1 to 16"),
    ],
)
def test_replicas_that_cannot_run_are_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argument: str, error: str
) -> None:
    data_dir = tmp_path / "var"

    code = main(["up", "--data-dir", str(data_dir), "--replicas", argument])

    assert code == 2
    assert error in capsys.readouterr().err
    assert not data_dir.exists()


@pytest.mark.parametrize("argument", ["meldpunt", "meldpunt=", "=2", "meldpunt=two"])
def test_a_malformed_replicas_argument_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argument: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["up", "--replicas", argument])

    assert exited.value.code == 2
    assert "expected SERVICE=N" in capsys.readouterr().err


def test_further_replicas_get_the_ports_after_those_of_the_processes() -> None:
    ports = http_ports(8101, {"meldpunt": 3, "crisis": 2})

    assert ports["meldpunt"] == 8101 and ports["portaal"] == 8106
    assert [ports["meldpunt.2"], ports["meldpunt.3"], ports["crisis.2"]] == [8107, 8108, 8109]
    assert len(set(ports.values())) == len(ports)
