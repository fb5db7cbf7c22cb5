"""Builds the console (web/) for `make dev` when its sources changed, and only then.

The build's inputs (web's sources and configuration, its lockfile and the API description the
client is generated from) are hashed; the hash is kept in ``web/dist/.source-hash``. A stack
whose console is current starts without running npm at all. ``npm ci`` runs when
``node_modules`` is missing or older than the lockfile. Output goes to ``<logs>/web-build.log``.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from devstack.template import ROOT

WEB_DIR = ROOT / "web"
API_DESCRIPTION = ROOT / "functions" / "docs" / "openapi.json"
HASH_FILE = ".source-hash"
# What a build reads: change any of these and the console is built again.
INPUT_GLOBS = (
    "src/**/*",
    "public/**/*",
    "scripts/*",
    "*.json",
    "*.js",
    "vite.config.ts",
    "index.html",
)
SKIPPED_PARTS = ("node_modules", "dist")
GENERATED = ("src/api/schema.d.ts",)


class WebBuildError(RuntimeError):
    """The console could not be built; the message says where the log is."""


@dataclass(frozen=True)
class WebBuild:
    web_dir: Path = WEB_DIR
    api_description: Path = API_DESCRIPTION

    @property
    def dist(self) -> Path:
        return self.web_dir / "dist"

    def inputs(self) -> list[Path]:
        found: set[Path] = set()
        for pattern in INPUT_GLOBS:
            for path in self.web_dir.glob(pattern):
                relative = path.relative_to(self.web_dir)
                skipped = set(relative.parts) & set(SKIPPED_PARTS)
                if path.is_file() and not skipped and relative.as_posix() not in GENERATED:
                    found.add(path)
        return [*sorted(found), self.api_description]

    def source_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self.inputs():
            inside = path.is_relative_to(self.web_dir)
            name = path.relative_to(self.web_dir) if inside else path.name
            digest.update(str(name).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def is_current(self) -> bool:
        stamp = self.dist / HASH_FILE
        return (
            (self.dist / "index.html").is_file()
            and stamp.is_file()
            and stamp.read_text().strip() == self.source_hash()
        )

    def _needs_install(self) -> bool:
        installed = self.web_dir / "node_modules" / ".package-lock.json"
        lock = self.web_dir / "package-lock.json"
        return not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime

    def ensure(self, log_file: Path) -> bool:
        """Build when needed; True when a build ran. Raises WebBuildError when it fails.

        Stacks started side by side (the end-to-end tests) take turns: one builds, the others
        find the console current when the lock is theirs."""
        if self.is_current():
            return False
        with (self.web_dir / ".build.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._build(log_file)

    def _build(self, log_file: Path) -> bool:
        if self.is_current():
            return False
        if shutil.which("npm") is None:
            raise WebBuildError("npm is not installed: the console needs Node 20 and npm")
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a") as log:
            if self._needs_install():
                self._run(["npm", "ci", "--no-audit", "--no-fund"], log, log_file)
            self._run(["npm", "run", "build"], log, log_file)
        (self.dist / HASH_FILE).write_text(self.source_hash() + "\n")
        return True

    def _run(self, command: list[str], log: IO[str], log_file: Path) -> None:
        done = subprocess.run(
            command, cwd=self.web_dir, stdout=log, stderr=subprocess.STDOUT, check=False
        )
        if done.returncode != 0:
            raise WebBuildError(f"`{' '.join(command)}` failed in web/; see {log_file}")


def main() -> int:
    """`make web`: build the console if its sources changed (what `make dev` does first)."""
    build = WebBuild()
    log_file = ROOT / ".devstack" / "logs" / "web-build.log"
    start = log_file.stat().st_size if log_file.is_file() else 0
    try:
        built = build.ensure(log_file)
    except WebBuildError as exc:
        print(_log_since(log_file, start)[-6000:], file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if built:  # the bundle's size, as the build printed it
        sizes = [line for line in _log_since(log_file, start).splitlines() if " kB gzip" in line]
        print("\n".join(line for line in sizes if line.startswith(("initial", "lazy", "console"))))
    print("web: built" if built else "web: current (sources unchanged)")
    return 0


def _log_since(log_file: Path, offset: int) -> str:
    with log_file.open("rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
