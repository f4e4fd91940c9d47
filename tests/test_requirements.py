"""Every package the server imports at run time is pinned in requirements/base.txt.

`make run` installs base.txt only; the test tools (test.txt) pull in more (requests,
selenium...), so an import of one of those in apps/ or gms/ would pass every test and
fail on a production install.
"""

import ast
import re
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"apps", "gms", "manage"}


def _top_level_imports() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.glob("apps/**/*.py"), *ROOT.glob("gms/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - LOCAL - set(sys.stdlib_module_names)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _normalized(re.split(r"[\[=<>~!; ]", requirement.strip(), maxsplit=1)[0])


def test_every_runtime_import_is_a_pinned_base_requirement() -> None:
    """Pinned, or a dependency a pinned package declares (asgiref comes with Django)."""
    pinned = {
        _name(line)
        for line in (ROOT / "requirements/base.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    pinned |= {
        _name(dependency)
        for dist in set(pinned)
        for dependency in requires(dist) or []
        if "extra ==" not in dependency
    }
    distributions = packages_distributions()
    unpinned = {
        module: distributions.get(module, [module])
        for module in _top_level_imports()
        if not any(_normalized(dist) in pinned for dist in distributions.get(module, [module]))
    }
    assert unpinned == {}
