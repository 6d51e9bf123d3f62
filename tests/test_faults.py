"""Faults around the output: a folder that cannot be written, a disk that fills up, two builds at
once and a build killed half-way. Each gives a clear message (no traceback) and the previous
output survives exactly as it was.

The tests may run as root, for whom file permissions are not enforced. Read-only and full file
systems are then made for real in a private mount namespace (`unshare`), which is also how an
ordinary user gets them where user namespaces are enabled; where neither works the test says so
and is skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import register_yaml
from hostile_kit import Run, cli_env, differences, run_cli, snapshot

from generator.build import build
from generator.write import PAUSE_AT, STAGES, STOP_AT

LOCK = ".output.lock"
ARCHIVE_LOCK = ".archive.lock"
# The faults are about output/ as a whole, whatever it holds: the register is published in Finnish
# only, so that each build makes one PDF rather than three.
ONE_LANGUAGE = {"languages": ["fi"]}
FIRST = register_yaml(add=ONE_LANGUAGE)
CHANGED = register_yaml(version=date(2025, 6, 1), retention={"fi": "Kuusi vuotta"}, add=ONE_LANGUAGE)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose output/ holds a complete build (pages, PDF, archive) of FIRST, made once;
    registers/ holds CHANGED, so the next build must write new files (and archive a new version)."""
    site = tmp_path_factory.mktemp("published")
    (site / "registers").mkdir()
    (site / "registers" / "customer.yaml").write_text(FIRST, encoding="utf-8")
    with contextlib.chdir(site):  # as `seloste build` is run: the cache names registers/customer.yaml
        build([Path("registers")], Path("output"), archive=Path("archive"))
    (site / "registers" / "customer.yaml").write_text(CHANGED, encoding="utf-8")
    return site


@pytest.fixture
def published(built_once: Path, tmp_path: Path) -> Path:
    """A private copy of `built_once`, for a test to fail a build on."""
    site = tmp_path / "site"
    shutil.copytree(built_once, site, symlinks=True)
    return site


def kept(site: Path, *, inodes: bool = True) -> dict:
    """What must survive a failed build: everything but the registers and the lock file itself."""
    return snapshot(site, skip=("registers", LOCK, ARCHIVE_LOCK), inodes=inodes)


def assert_clear_failure(run: Run, *, folder: str, reason: str) -> None:
    assert "Traceback" not in run.printed
    assert run.returncode in (1, 2), run.printed
    assert f"cannot write {folder}" in run.stderr and reason in run.stderr, run.stderr
    assert f"build failed; {folder}/ was not changed" in run.stderr, run.stderr


# -- a private mount namespace ----------------------------------------------------------------------


def namespace() -> list[str] | None:
    """The command prefix that runs a shell in a private mount namespace where mounting is allowed."""
    unshare = shutil.which("unshare")
    mount = shutil.which("mount")
    if unshare is None or mount is None:
        return None
    probe = Path(os.environ.get("TMPDIR", "/tmp"))
    for prefix in ([unshare, "-m"], [unshare, "-Urm"]):
        if prefix == [unshare, "-m"] and os.geteuid() != 0:
            continue
        done = subprocess.run(
            [
                *prefix,
                "sh",
                "-c",
                'mount -t tmpfs -o size=64k tmpfs "$1" && mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"',
                "sh",
                str(probe),
            ],
            capture_output=True,
            timeout=30,
        )
        if done.returncode == 0:
            return prefix
    return None


NAMESPACE = namespace()
needs_namespace = pytest.mark.skipif(
    NAMESPACE is None,
    reason="cannot mount in a private mount namespace here (no unshare, no "
    "user namespaces and not root), so no read-only or tiny file system can be made",
)


def in_namespace(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert NAMESPACE is not None
    return subprocess.run(
        [*NAMESPACE, "sh", "-c", script, "sh", *args],
        cwd=cwd,
        env={**cli_env(), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=180,
    )


# -- a folder that cannot be written -----------------------------------------------------------------


def test_an_output_path_inside_a_file_is_a_clear_error(published: Path) -> None:
    blocker = published / "blocker"
    blocker.write_text("not a folder\n", encoding="utf-8")
    before = kept(published)
    run = run_cli("build", "-o", "blocker/output", cwd=published)
    assert_clear_failure(run, folder="blocker/output", reason="blocker")
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"
    assert differences(before, kept(published)) == []


def unprivileged() -> list[str] | None:
    """The prefix that makes file permissions apply: none for an ordinary user; for root, setpriv
    dropping the capabilities that override them (root stays root, but is refused like anyone)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return prefix if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0 else None


UNPRIVILEGED = unprivileged()


@pytest.mark.skipif(
    UNPRIVILEGED is None,
    reason="running as root without setpriv: permissions cannot be made to apply; "
    "the read-only case is still tested with a read-only mount where possible",
)
def test_a_read_only_output_folder_is_a_clear_error_and_loses_nothing(published: Path) -> None:
    assert UNPRIVILEGED is not None
    site = published / "site"
    site.mkdir()
    (published / "output").rename(site / "output")
    (published / LOCK).rename(site / LOCK)
    before = kept(site)
    for folder in (site / "output", site):
        folder.chmod(0o555)  # chmod 555: the output folder and the folder that holds it
    try:
        run = run_cli("build", "-o", "site/output", cwd=published, prefix=UNPRIVILEGED)
    finally:
        for folder in (site, site / "output"):
            folder.chmod(0o755)
    assert_clear_failure(run, folder="site/output", reason="Permission denied")
    assert differences(before, kept(site)) == []


@pytest.fixture(scope="module")
def read_only_output(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """chmod 555 on output/ alone (its parent writable), then two builds, each with a changed register."""
    if UNPRIVILEGED is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    site = tmp_path_factory.mktemp("read-only-output")
    (site / "registers").mkdir()
    (site / "registers" / "customer.yaml").write_text(FIRST, encoding="utf-8")
    build([site / "registers"], site / "output", archive=site / "archive")
    (site / "output").chmod(0o555)
    before = kept(site)
    (site / "registers" / "customer.yaml").write_text(CHANGED, encoding="utf-8")
    first = run_cli("build", cwd=site, prefix=UNPRIVILEGED)
    after_first = kept(site)
    (site / "registers" / "customer.yaml").write_text(
        register_yaml(version=date(2025, 7, 1), retention={"fi": "Seitsemän vuotta"}, add=ONE_LANGUAGE),
        encoding="utf-8",
    )
    second = run_cli("build", cwd=site, prefix=UNPRIVILEGED)
    for path in [site, *site.rglob("*")]:  # let pytest remove it
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    return {"before": before, "first": first, "after_first": after_first, "second": second}


def test_a_read_only_output_folder_is_refused_not_replaced(read_only_output: dict) -> None:
    assert_clear_failure(read_only_output["first"], folder="output", reason="Permission denied")
    assert differences(read_only_output["before"], read_only_output["after_first"]) == []


def test_a_read_only_output_folder_stays_refused_and_leaves_nothing_behind(read_only_output: dict) -> None:
    # Refused every time until the folder is made writable again; no staging folder is left over.
    second = read_only_output["second"]
    assert_clear_failure(second, folder="output", reason="Permission denied")
    assert not any(name.startswith(".output.staging") for name in read_only_output["after_first"])


@needs_namespace
def test_a_read_only_file_system_is_a_clear_error_and_loses_nothing(published: Path) -> None:
    site = published / "site"
    site.mkdir()
    (published / "output").rename(site / "output")
    (published / LOCK).rename(site / LOCK)
    before = kept(site)
    script = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$PYTHON" -m generator build -o site/output'
    )
    done = in_namespace(script, str(site), cwd=published)
    run = Run(done.returncode, done.stdout, done.stderr, 0.0)
    assert_clear_failure(run, folder="site/output", reason="Read-only file system")
    assert differences(before, kept(site)) == []


# -- a disk that fills up ------------------------------------------------------------------------------


def used_bytes(root: Path) -> int:
    """What the files under `root` take on a tmpfs: whole pages."""
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in root.rglob("*") if p.is_file())


@needs_namespace
def test_a_full_disk_is_a_clear_error_and_leaves_the_previous_output(published: Path) -> None:
    previous = published / "previous"
    previous.mkdir()
    (published / "output").rename(previous / "output")
    (published / LOCK).rename(previous / LOCK)
    disk, after = published / "disk", published / "after"
    disk.mkdir()
    after.mkdir()
    size = used_bytes(previous) + 64 * 1024  # room for the lock and a few small files, not for a new build
    script = (
        'set -e; mount -t tmpfs -o size=$4 tmpfs "$1"; cp -a "$2/." "$1/"; set +e; '
        '"$PYTHON" -m generator build -o "$1/output"; status=$?; cp -a "$1/." "$3/"; exit $status'
    )
    done = in_namespace(script, str(disk), str(previous), str(after), str(size), cwd=published)
    run = Run(done.returncode, done.stdout, done.stderr, 0.0)
    assert_clear_failure(run, folder=f"{disk}/output", reason=os.strerror(errno.ENOSPC))
    # cp -a keeps modes and times, so the copy out of the full disk compares with the original.
    assert differences(kept(previous, inodes=False), kept(after, inodes=False)) == []


def test_a_write_the_kernel_refuses_leaves_the_previous_output(published: Path) -> None:
    """Without privileges: the kernel refuses every write beyond 4 KiB (RLIMIT_FSIZE, EFBIG), as
    it refuses writes to a full disk, while the build stages its files."""
    before = kept(published)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    run = run_cli("build", cwd=published, preexec_fn=limit_file_size)
    assert_clear_failure(run, folder="output", reason=os.strerror(errno.EFBIG))
    assert differences(before, kept(published)) == []
    assert not (published / ".output.staging").exists()


# -- two builds at once, and a build killed half-way -----------------------------------------------


def lock_held(lock: Path) -> bool:
    """Whether some process holds a flock on `lock`, read from /proc/locks without touching the lock."""
    if not lock.exists():
        return False
    inode = str(lock.stat().st_ino)
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" not in fields and "FLOCK" in fields and fields[5].rsplit(":", 1)[-1] == inode:
            return True
    return False


def start_build(site: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *args],
        cwd=site,
        env={**cli_env(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_until_paused(process: subprocess.Popen[bytes]) -> None:
    """Wait for the build to stop itself (SIGSTOP) at the stage SELOSTE_TEST_PAUSE_AT names."""
    stat = Path(f"/proc/{process.pid}/stat")
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert process.poll() is None, "the build ended before it reached the stage"
        time.sleep(0.005)


@pytest.fixture
def stop() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes to kill if a test fails before they end."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()  # reaps it and closes its pipes


needs_proc = pytest.mark.skipif(
    not Path("/proc/locks").is_file(), reason="/proc is not available to see who holds the lock and who is stopped"
)


@needs_proc
def test_a_second_build_fails_at_once_while_the_first_completes(published: Path, stop: list) -> None:
    # The first build stops itself once it holds the lock, so the second surely meets it; were the
    # second to wait for the lock instead of failing, it would wait for ever (and time out).
    first = start_build(published, env={PAUSE_AT: "locked"})
    stop.append(first)
    wait_until_paused(first)
    second = run_cli("build", cwd=published, timeout=60)
    assert lock_held(published / LOCK) and first.poll() is None, "the first build must still hold the lock"
    assert "Traceback" not in second.printed
    assert second.returncode == 1
    assert "another build is writing output; wait for it to finish" in second.stderr

    os.killpg(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=180)
    assert first.returncode == 0, err.decode()
    assert b"Traceback" not in out + err
    # Consistent: the ledger names exactly the files there, the archive verifies, every notice is complete.
    output = published / "output"
    ledger = (output / ".seloste-files").read_text(encoding="utf-8").split()
    assert sorted(ledger) == sorted(
        str(p.relative_to(output)) for p in output.rglob("*") if p.is_file() and p.name != ".seloste-files"
    )
    folder = output / "fi" / "customer-register"
    assert {p.suffix for p in folder.iterdir()} == {".html", ".jsonld", ".pdf", ".atom"}, folder
    assert any("2025-06-01" in p.name for p in folder.iterdir()), "the changed register was built"
    verified = run_cli("verify", cwd=published)
    assert verified.returncode == 0, verified.printed
    assert not (published / ".output.staging").exists()


def contents(output: Path) -> dict[str, bytes]:
    """Every file of an output folder and its bytes."""
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def new_output(built_once: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What output/ holds once the next build of `built_once` has run to its end."""
    site = tmp_path_factory.mktemp("finished") / "site"
    shutil.copytree(built_once, site, symlinks=True)
    with contextlib.chdir(site):
        build([Path("registers")], Path("output"), archive=Path("archive"))
    return contents(site / "output")


@needs_proc
@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_leaves_the_old_or_the_new_output(
    stage: str, published: Path, built_once: Path, new_output: dict[str, bytes]
) -> None:
    old = contents(built_once / "output")
    killed = run_cli("build", cwd=published, env={STOP_AT: stage})
    assert killed.returncode == -signal.SIGKILL, killed.printed
    # Until the swap output/ is the previous build, from the swap on it is the new one; never a mix.
    assert contents(published / "output") == (new_output if stage == "swapped" else old)
    assert not lock_held(published / LOCK), "the lock died with the build"
    # The next build is not blocked by the dead one, clears what it left and installs the new output.
    with contextlib.chdir(published):
        build([Path("registers")], Path("output"), archive=Path("archive"))
    assert contents(published / "output") == new_output
    assert not list(published.glob(".output.staging*"))
