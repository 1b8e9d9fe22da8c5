"""Every module of the package and of the tests imports on Windows too.

CI runs pytest on Windows: a module-level ``import fcntl`` in a test helper fails the whole job
while collecting, before a single test runs. This scan runs everywhere (on Linux as well), so
such an import is caught here: a POSIX-only module may be imported at module level only under an
``if`` on the platform (``sys.platform``, ``os.name``, ``platform.system()``) or a ``try`` that
catches ``ImportError``; inside functions it is the caller's business.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("tokentoss", "tests")

# Standard-library modules that do not exist on Windows.
POSIX_ONLY = frozenset(
    {
        "crypt",
        "curses",
        "fcntl",
        "grp",
        "nis",
        "ossaudiodev",
        "posix",
        "pty",
        "pwd",
        "readline",
        "resource",
        "spwd",
        "syslog",
        "termios",
        "tty",
    }
)
PLATFORM_NAMES = ("sys.platform", "os.name", "platform.system", "TYPE_CHECKING")
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if node.level or not node.module:
        return []  # a relative import is our own module
    return [node.module.split(".")[0]]


def _tests_platform(test: ast.expr) -> bool:
    source = ast.unparse(test)
    return any(name in source for name in PLATFORM_NAMES)


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ast.unparse(name).split(".")[-1] in IMPORT_ERRORS for name in caught)


def unguarded_posix_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of each POSIX-only import that runs unguarded when the module is imported."""

    def walk(body: list[ast.stmt], guarded: bool) -> Iterator[tuple[int, str]]:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not guarded:
                for module in _imported_modules(node):
                    if module in POSIX_ONLY:
                        yield node.lineno, module
            elif isinstance(node, ast.If):
                inner = guarded or _tests_platform(node.test)
                yield from walk(node.body, inner)
                yield from walk(node.orelse, inner)
            elif isinstance(node, ast.Try):
                inner = guarded or any(_catches_import_error(h) for h in node.handlers)
                yield from walk(node.body, inner)
                for handler in node.handlers:
                    yield from walk(handler.body, guarded)
                yield from walk(node.orelse, guarded)
                yield from walk(node.finalbody, guarded)
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, guarded)  # a class body runs at import time too
            elif isinstance(node, ast.With):
                yield from walk(node.body, guarded)

    yield from walk(tree.body, False)


def python_files() -> list[Path]:
    return sorted(
        path
        for folder in SCANNED
        for path in (ROOT / folder).rglob("*.py")
        if "node_modules" not in path.parts
    )


def findings_in(source: str, name: str = "<test>") -> list[str]:
    tree = ast.parse(source, filename=name)
    return [f"{name}:{line}: import {module}" for line, module in unguarded_posix_imports(tree)]


def test_no_module_level_posix_only_imports_in_the_package_or_the_tests() -> None:
    files = python_files()
    assert len(files) > 20, files  # the scan found the sources
    found = [
        finding
        for path in files
        for finding in findings_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "POSIX-only imports that fail on Windows at import time:\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "source",
    [
        "import fcntl",
        "import os, pwd",
        "from termios import TCSANOW",
        "from resource import getrlimit as g",
        "if DEBUG:\n    import grp",
        "try:\n    import fcntl\nexcept OSError:\n    pass",
        "class C:\n    import tty",
    ],
)
def test_the_scan_finds_unguarded_imports(source: str) -> None:
    assert findings_in(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import os, sys, json",
        "def lock():\n    import fcntl",
        "if sys.platform != 'win32':\n    import fcntl",
        "if sys.platform == 'win32':\n    import msvcrt\nelse:\n    import fcntl",
        "if os.name == 'posix':\n    import pwd",
        "if platform.system() != 'Windows':\n    import resource",
        "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None",
        "try:\n    import termios\nexcept (ModuleNotFoundError, OSError):\n    pass",
        "from .pwd import x",
        "import posixpath",
    ],
)
def test_the_scan_accepts_guarded_and_portable_imports(source: str) -> None:
    assert findings_in(source) == [], source
