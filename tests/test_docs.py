"""The documentation site (docs/, MkDocs) says what the code does: every environment variable
the settings read is in the configuration reference, and the README stays a front door."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "trustedresearch" / "settings"
# Read by the processes that load the settings, outside trustedresearch/settings/.
ALSO_READ = [ROOT / "trustedresearch" / "celery.py"]
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]+")


def _string(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _reads(tree: ast.AST) -> set[str]:
    """Names passed to os.environ[...], os.environ.get/setdefault, os.getenv and our env_*()
    helpers, and the default names of the env_*() helpers' ``name`` parameters."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            on_environ = isinstance(func, ast.Attribute) and "environ" in ast.unparse(func.value)
            if (
                called.startswith("env_")
                or called == "getenv"
                or (on_environ and called in {"get", "setdefault"})
            ):
                if node.args and (name := _string(node.args[0])):
                    names.add(name)
                for keyword in node.keywords:
                    if keyword.arg == "name" and (name := _string(keyword.value)):
                        names.add(name)
        elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
            if name := _string(node.slice):
                names.add(name)
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("env_"):
            arguments = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults))
            defaults += node.args.defaults + node.args.kw_defaults
            for argument, default in zip(arguments, defaults, strict=True):
                if argument.arg == "name" and (name := _string(default)):
                    names.add(name)
    return {name for name in names if ENV_NAME.fullmatch(name)}


def environment_variables_read() -> set[str]:
    names = set()
    for path in [*sorted(SETTINGS.glob("*.py")), *ALSO_READ]:
        names |= _reads(ast.parse(path.read_text(encoding="utf-8")))
    return names


def test_the_settings_read_the_variables_we_expect_to_find():
    # The collector above finds reads in every form the settings use.
    names = environment_variables_read()
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "SECRET_KEY"):
        assert name in names
    assert "PYTEST_XDIST_WORKER" in names  # os.environ[...] in test.py
    assert "NEWSLETTER_DISPATCH_INTERVAL" in names  # celery.py


def test_every_environment_variable_the_settings_read_is_in_the_configuration_reference():
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", reference))
    missing = sorted(environment_variables_read() - documented)
    assert not missing, f"docs/configuration.md does not mention: {', '.join(missing)}"


def test_the_readme_starts_with_the_two_commands_and_links_to_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:sh)?\n(.*?)```", readme, re.S).group(1).split()
    assert first_block == ["make", "run", "make", "test"]
    assert readme.index("make run") < readme.index("\n## ")
    assert len(readme) < 8_000, "README.md is the front door; the rest lives in docs/"
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).exists(), link


def test_the_screenshots_the_guides_show_exist_and_every_one_is_shown():
    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    shown = set(re.findall(r"screenshots/([\w-]+\.png)", pages))
    taken = {p.name for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert shown == taken
