"""`seloste serve` over HTTP: the real command on a copy of the samples, driven as a browser would.

Every wait is on the server's own build counter (/_seloste/version?after=N answers once the next
build has finished), with a generous guard against a hung server, never a sleep.
"""

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO

GUARD = 90.0  # seconds: only a hung server comes near this


class Server:
    """A running `seloste serve` and the folder it previews."""

    def __init__(self, process: subprocess.Popen[str], base: str, folder: Path) -> None:
        self.process, self.base, self.folder = process, base, folder

    def get(self, path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(self.base + path.lstrip("/"), timeout=GUARD) as answer:
                return answer.status, answer.headers["Content-Type"], answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read()

    def page(self, path: str) -> str:
        status, kind, body = self.get(path)
        assert status == 200 and kind.startswith("text/html"), (status, body[:300])
        return body.decode()

    def version(self) -> int:
        return int(self.get("/_seloste/version")[2])

    def edit(self, name: str, change: Callable[[str], str]) -> None:
        """Save a register as an editor does, and wait for the build that follows."""
        before = self.version()
        path = self.folder / "registers" / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        for _ in range(int(GUARD / 20) + 1):  # each request waits up to 20 s for the next build
            if int(self.get(f"/_seloste/version?after={before}")[2]) > before:
                return
        pytest.fail(f"no build followed the edit of {name}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(REPO / "registers", tmp_path / "registers")
    log = tmp_path / "serve.log"  # a file, not a pipe: a pipe nobody reads would block the server's log
    with (
        log.open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", "0"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as process,
    ):
        try:
            assert process.stdout is not None
            first = process.stdout.readline()  # the server says where it listens once the first build is done
            found = re.search(r"http://127\.0\.0\.1:\d+/", first)
            assert found, first + log.read_text()
            yield Server(process, found.group(0), tmp_path)
        finally:
            process.terminate()
            process.wait(timeout=GUARD)


def test_a_page_is_served_then_its_edit_then_a_broken_edit_with_its_located_error(server: Server) -> None:
    page = server.page("/fi/customer-register/")
    assert "Sähkön ja energiapalvelujen asiakasrekisteri" in page
    assert 'class="seloste-preview"' in page and "Tarkistus ei löytänyt" in page  # the panel, in Finnish
    assert "/_seloste/version" in page  # the reload script, added as the page is sent
    assert "Kontrollen hittade inget" in server.page("/sv/customer-register/index.html")

    server.edit(
        "customer-register.yaml",
        lambda text: text.replace(
            "  fi: Sähkön ja energiapalvelujen asiakasrekisteri", "  fi: Sähkön asiakasrekisteri (luonnos)"
        ),
    )
    assert "Sähkön asiakasrekisteri (luonnos)" in server.page("/fi/customer-register/")

    # Mid-edit: an unclosed flow sequence. The page shows where, and the last good text below.
    server.edit("customer-register.yaml", lambda text: text.replace("version: 2026-09-01", "version: [2026-09-01"))
    page = server.page("/fi/customer-register/")
    error = re.search(r"<code>registers/customer-register\.yaml:(\d+):(\d+)</code>", page)
    assert error, page[:3000]
    assert "Virhe" in page and "viimeisin kelvollinen versio" in page
    assert "Sähkön asiakasrekisteri (luonnos)" in page
    assert server.process.poll() is None  # the server lives on

    # Corrected: the page is current again and the error gone.
    server.edit("customer-register.yaml", lambda text: text.replace("version: [2026-09-01", "version: 2026-09-01"))
    page = server.page("/fi/customer-register/")
    assert "customer-register.yaml:" not in page and "Tarkistus ei löytänyt" in page

    assert not (server.folder / "output").exists()  # the preview is built elsewhere

    # Only the notices' own paths are served.
    status, _, body = server.get("/fi/no-such-register/")
    assert status == 404 and "no-such-register" in body.decode()
    assert server.get("/../../etc/passwd")[0] == 404
    assert server.get("/fi/customer-register/../../../etc/passwd")[0] == 404


def test_a_finding_names_its_place_and_provision_in_the_pages_language_and_a_pdf_is_made_on_request(
    server: Server,
) -> None:
    # No sources: a missing legal item, an error under Art. 13 and 14(2)(f).
    server.edit("recruitment.yaml", lambda text: re.sub(r"(?m)^sources:\n(?:  .*\n)+", "sources: []\n", text, count=1))
    page = server.page("/en/recruitment/")
    assert re.search(
        r"Error</strong> <code>registers/recruitment\.yaml:\d+:\d+</code> Field <code>sources</code>", page
    )
    assert "(Provision: GDPR Art. 13, Art. 14(2)(f); <code>sources</code>)" in page
    finnish = server.page("/fi/recruitment/")  # the provision cited as Finnish cites it
    assert (
        "(Säännös: tietosuoja-asetuksen 13 artikla, 14 artiklan 2 kohdan f alakohta; <code>sources</code>)" in finnish
    )
    assert "Fel</strong>" in server.page("/sv/recruitment/")
    status, kind, body = server.get("/sv/camera-surveillance/notice.pdf")
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF-")
    status, _, body = server.get("/fi/recruitment/notice.pdf")
    assert status == 409  # no PDF of a register with errors: the page says why
    assert "Virhe" in body.decode()
