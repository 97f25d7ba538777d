"""What an operator gets wrong at the console is said in one line, with a non-zero exit:
a file that cannot be written, a database URL that names no database, a server that does
not answer."""

from __future__ import annotations

import socket

import pytest

from app import create_app

from .test_api_residents import create


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_export_to_a_folder_that_does_not_exist(runner, tmp_path):
    line = one_line_error(runner.invoke(args=["residents", "export",
                                              str(tmp_path / "nowhere" / "x.csv")]))
    assert "nowhere" in line and "does not exist" in line


def test_import_refuses_a_rejects_file_it_could_not_write_before_importing(runner, tmp_path):
    source = tmp_path / "warga.csv"
    source.write_text("NIK\n", encoding="utf-8")
    line = one_line_error(runner.invoke(args=[
        "residents", "import", str(source), "--skip-invalid",
        "--rejects", str(tmp_path / "nowhere" / "r.csv")]))
    assert "nowhere" in line


def test_a_database_url_that_names_no_database(tmp_path):
    app = create_app({"DATABASE_URL": "bogus://x", "SECRET_KEY": "x"})
    line = one_line_error(app.test_cli_runner().invoke(args=["init"]))
    assert "bogus://x" in line and "KTP_DATABASE_URL" in line


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://ktp:rahasia@127.0.0.1:{port}/ktp",
    "sqlite:///{tmp}/no/such/folder/ktp.sqlite",
])
def test_a_database_nothing_answers_on(tmp_path, url):
    pytest.importorskip("psycopg")
    url = url.format(port=_closed_port(), tmp=tmp_path)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    line = one_line_error(app.test_cli_runner().invoke(args=["init"]))
    assert "cannot connect to the database" in line and "rahasia" not in line


@pytest.fixture
def nik(client, clerks):
    return create(client, clerks["sragen"]).json["nik"]


@pytest.mark.parametrize("name", ["card.pdf", "card.png"])
def test_card_render_to_a_folder_that_does_not_exist(runner, nik, tmp_path, name):
    line = one_line_error(runner.invoke(args=["card", "render", nik, "-o",
                                              str(tmp_path / "nowhere" / name)]))
    assert "nowhere" in line and "does not exist" in line


@pytest.mark.parametrize("args", [["report", "--year", "2026"],
                                  ["evaluation", "forms", "--office", "33.14"]])
def test_pdfs_to_a_folder_that_does_not_exist(runner, tmp_path, args):
    line = one_line_error(runner.invoke(args=[*args, "-o", str(tmp_path / "nowhere" / "x.pdf")]))
    assert "nowhere" in line and "does not exist" in line


@pytest.mark.parametrize("args, named", [
    (["print", "3314105708800001\udcff", "--printer", "p1"], "NIK"),
    (["printers", "add", "p1", "virtual://p1\udcff"], "URI"),
    (["printers", "status", "p\udcff"], "NAME"),
    (["report", "--year", "2026", "-o", "r.pdf", "--office", "33.14\udcff"], "--office"),
])
def test_an_argument_that_is_not_utf8_is_named_in_one_line(runner, tmp_path, args, named):
    """Bytes that are not UTF-8 in argv reach Python as lone surrogates; they used to fail in
    the database driver with a traceback."""
    line = one_line_error(runner.invoke(args=args))
    assert line.startswith(f"Error: {named} ") and "not valid Unicode" in line


def test_a_password_that_is_not_utf8_is_one_line_and_nothing_is_created(runner):
    line = one_line_error(runner.invoke(args=["users", "create", "budi", "--role", "operator",
                                              "--office", "33.14"],
                                        input=b"kata-sandi-\xff-baru\n"))
    assert line == "Error: the password on standard input is not UTF-8 text"
    assert "budi" not in runner.invoke(args=["users", "list"]).output
