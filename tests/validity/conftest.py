"""The Nu HTML Checker (vnu, the npm package ``vnu-jar`` pinned in package-lock.json), run with
Java on a batch of documents in one JVM.

``vnu_check({"name": html, …})`` writes each document to a file, runs vnu once on all of them and
returns ``{name: [message, …]}`` with vnu's JSON messages (``type`` "error", "info"; info with
``subType`` "warning"). Java missing: the test fails in CI and skips elsewhere.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import service_unavailable

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def errors_report(results: dict[str, list[dict]]) -> str:
    """One line per error: document, line and column, vnu's message, the markup around it."""
    lines = []
    for name, messages in results.items():
        for message in messages:
            if message["type"] in ("error", "non-document-error"):
                where = f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
                extract = " ".join(message.get("extract", "").split())
                lines.append(f"{where}: {message['message']}  [{extract[:120]}]")
    return "\n".join(lines)


@pytest.fixture
def vnu_check(tmp_path):
    java = shutil.which("java")
    if java is None:
        service_unavailable("Java", "`java` not on PATH; apt-get install default-jre-headless")
    if not VNU_JAR.exists():
        service_unavailable(
            "vnu-jar", f"{VNU_JAR} not found; run `npm ci --ignore-scripts` (`make test` does)"
        )

    def check(documents: dict[str, str]) -> dict[str, list[dict]]:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = tmp_path / f"document-{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        completed = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *sorted(names)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if not completed.stdout.strip():
            pytest.fail(
                f"vnu did not run (exit {completed.returncode}): {completed.stderr[-2000:]}"
            )
        results: dict[str, list[dict]] = {name: [] for name in documents}
        for message in json.loads(completed.stdout)["messages"]:
            name = names.get(message.get("url", "").rsplit("/", 1)[-1], "(vnu itself)")
            results.setdefault(name, []).append(message)
        return results

    return check
