"""axe-core (npm, pinned in package-lock.json) injected into pages by Playwright.

``axe_check(page)`` runs the WCAG 2.0/2.1/2.2 A and AA rules on the page and returns the
violations. The pages' Content Security Policy forbids inline scripts, which is how Playwright
injects a file, so these tests' browser context bypasses the CSP (tests/security checks it).
"""

from pathlib import Path

import pytest

from tests.services import service_unavailable

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def browser_context_args():
    return {"bypass_csp": True}


def violations_report(url: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{url}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    if not AXE_JS.exists():
        service_unavailable(
            "axe-core", f"{AXE_JS} not found; run `npm ci --ignore-scripts` (make test does)"
        )

    def check(page) -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        return page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(results => results.violations)",
            WCAG_TAGS,
        )

    return check
