"""`ktp serve` on an address it cannot take says why and what to do, and exits non-zero."""

from __future__ import annotations

import socket


def test_serve_on_a_port_in_use_names_the_port_and_how_to_choose_another(runner):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = runner.invoke(args=["serve", "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert f"ktp serve --port {port + 1}" in result.output
    assert f"make run PORT={port + 1}" in result.output
    assert "Traceback" not in result.output and "Errno" not in result.output


def test_serve_refuses_a_port_out_of_range(runner):
    result = runner.invoke(args=["serve", "--port", "70000"])
    assert result.exit_code == 2 and "70000" in result.output
