"""pyproject.toml as current packaging tools read it (``make install`` builds the project)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_licence_is_an_spdx_expression_with_its_files_not_the_deprecated_table():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    # setuptools warns on every build about `license = { text = … }` (deprecated, PEP 639).
    assert isinstance(project["license"], str)
    assert re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+", project["license"])
    for name in project["license-files"]:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "Open Government Licence v3.0" in text and "proprietary" in text.lower()
    (setuptools,) = [r for r in pyproject["build-system"]["requires"] if "setuptools" in r]
    assert setuptools == "setuptools>=77"  # the first to read PEP 639 licence fields
