"""The one wheel: built from the source tree, installed into a fresh venv with no node on the PATH.

What a user gets from ``pip install tokentoss``: JupyterLab lists the prebuilt lab extension and the
server extension as enabled and OK, and ``jupyterlab.browser_check`` loads JupyterLab with the
extension in a headless browser without an error. The sdist rebuilds into an equal wheel.

Time: about a minute warm. The sdist and the wheel in ``dist/`` are reused when they are newer than
every file of the source tree (CI builds them first with ``python -m build``); otherwise they are
built here from a copy of the tree (``npm run build:prod``, then hatchling) and left in ``dist/``.
The fresh venv installs from a wheelhouse kept in ``.cache/wheel-test`` (no index: fast).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(sys.platform == "win32", reason="the wheel test runs on Linux and macOS"),
]

ROOT = Path(__file__).resolve().parents[2]
VERSION: str = json.loads((ROOT / "package.json").read_text())["version"]
DIST = ROOT / "dist"
PIP_CACHE = ROOT / ".cache" / "wheel-test" / "pip"
WHEELHOUSE = ROOT / ".cache" / "wheel-test" / "wheelhouse"
LABEXT = "share/jupyter/labextensions/tokentoss"
# Node and its package managers: none of them may be reachable from the fresh venv's PATH.
NODE_TOOLS = {"node", "nodejs", "npm", "npx", "corepack", "yarn", "yarnpkg", "pnpm", "pnpx"}
PLAYWRIGHT_CORE = ROOT / "ui-tests" / "node_modules" / "playwright-core"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The same browser and flags as the Galata tests.
_CHROMIUM_DEFAULTS = json.loads((ROOT / "ui-tests" / "chromium.json").read_text())
CHROMIUM = Path(_CHROMIUM_DEFAULTS["executablePath"])
CHROMIUM_ARGS: list[str] = _CHROMIUM_DEFAULTS["args"]


def run(cmd: list[str], *, timeout: float = 300, **kwargs: object) -> str:
    """Run a command; on failure show its output in the assertion message."""
    result = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    output = ANSI.sub("", result.stdout + result.stderr)
    assert result.returncode == 0, f"{' '.join(cmd)} exited {result.returncode}:\n{output[-6000:]}"
    return output


# ---- building ----------------------------------------------------------------------------------


def source_files() -> list[Path]:
    """Every file of the tree that is tracked or not ignored: what a clean checkout would hold."""
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [Path(name) for name in out.split("\0") if name and (ROOT / name).is_file()]


def stage_tree(dest: Path) -> Path:
    """Copy the source tree (no build output, no node_modules) to dest, as a clean checkout."""
    for name in source_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def build_command() -> list[str]:
    """``python -m build``, without isolation when this interpreter has the build backend."""
    backend = ("hatchling", "hatch_nodejs_version", "hatch_jupyter_builder", "jupyterlab")
    isolated = not all(importlib.util.find_spec(name) for name in backend)
    return [sys.executable, "-m", "build", *([] if isolated else ["--no-isolation"])]


def dist_is_fresh(sdist: Path, wheel: Path) -> bool:
    if not (sdist.is_file() and wheel.is_file()):
        return False
    built = min(sdist.stat().st_mtime, wheel.stat().st_mtime)
    return all((ROOT / name).stat().st_mtime < built for name in source_files())


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path  # built from the sdist, as `python -m build` does
    tree_wheel: Path  # built straight from the source tree


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    if not (ROOT / ".git").exists():
        pytest.skip("the wheel test builds from a git checkout")
    sdist = DIST / f"tokentoss-{VERSION}.tar.gz"
    wheel = DIST / f"tokentoss-{VERSION}-py3-none-any.whl"
    if not dist_is_fresh(sdist, wheel):
        assert shutil.which("npm"), "building the wheel needs Node.js and npm"
        tree = stage_tree(tmp_path_factory.mktemp("sdist-src"))
        (tree / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        # The production JS build, as the build hook would run it on a clean checkout (without
        # its `npm install`: node_modules is the work tree's, shared, and must not be touched).
        run(["npm", "run", "build:prod"], cwd=tree, env={**os.environ, "PYTHON": sys.executable})
        out = tmp_path_factory.mktemp("dist")
        run([*build_command(), "--outdir", str(out), str(tree)])
        DIST.mkdir(exist_ok=True)
        for built in (sdist, wheel):
            shutil.copy2(out / built.name, built)
    # The same sources as a plain tree (the sdist's prebuilt extension in place, as after the
    # build hook), built straight into a wheel.
    tree = tmp_path_factory.mktemp("wheel-src")
    with tarfile.open(sdist) as tar:
        tar.extractall(tree, filter="data")
    unpacked = tree / f"tokentoss-{VERSION}"
    tree_src = stage_tree(tmp_path_factory.mktemp("tree"))
    shutil.copytree(
        unpacked / "tokentoss" / "labextension", tree_src / "tokentoss" / "labextension"
    )
    out = tmp_path_factory.mktemp("tree-wheel")
    run([*build_command(), "--wheel", "--outdir", str(out), str(tree_src)])
    return Dists(sdist, wheel, out / wheel.name)


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_wheel_holds_the_prebuilt_extension_and_the_server_extension(dists: Dists) -> None:
    files = wheel_files(dists.wheel)
    data = f"tokentoss-{VERSION}.data/data"
    for name in (
        f"{LABEXT}/package.json",
        f"{LABEXT}/install.json",
        f"{LABEXT}/schemas/tokentoss/plugin.json",
        f"{LABEXT}/static/style.js",
        "etc/jupyter/jupyter_server_config.d/tokentoss.json",
    ):
        assert f"{data}/{name}" in files, name
    for name in ("__init__.py", "py.typed", "server/__init__.py", "server/handlers.py"):
        assert f"tokentoss/{name}" in files, name
    for name in ("callback.html", "callback.js", "callback.css"):
        assert f"tokentoss/server/static/{name}" in files, name
    for name in ("token-upload.json", "signin-registration.json", "user-client.json"):
        assert f"tokentoss/server/schemas/{name}" in files, name
    labext = json.loads(files[f"{data}/{LABEXT}/package.json"])
    assert labext["version"] == VERSION
    remote_entry = labext["jupyterlab"]["_build"]["load"]
    assert f"{data}/{LABEXT}/{remote_entry}" in files
    install = json.loads(files[f"{data}/{LABEXT}/install.json"])
    assert install["packageName"] == "tokentoss"
    server_config = json.loads(files[f"{data}/etc/jupyter/jupyter_server_config.d/tokentoss.json"])
    assert server_config["ServerApp"]["jpserver_extensions"] == {"tokentoss": True}
    # One version for both: package.json's, in the wheel's metadata.
    metadata = files[f"tokentoss-{VERSION}.dist-info/METADATA"].decode()
    assert f"\nVersion: {VERSION}\n" in metadata
    # The build output stays out of the Python package itself (it is shared data).
    assert not [name for name in files if name.startswith("tokentoss/labextension/")]


def test_wheel_metadata_offers_the_lab_extra_with_jupyterlab(dists: Dists) -> None:
    """README: JupyterLab's environment installs ``tokentoss[lab]``; kernels stay light."""
    metadata = wheel_files(dists.wheel)[f"tokentoss-{VERSION}.dist-info/METADATA"].decode()
    assert "\nProvides-Extra: lab\n" in metadata
    requires = re.findall(r"^Requires-Dist: (.*)$", metadata, re.M)
    lab = [r for r in requires if re.search(r"""extra\s*==\s*['"]lab['"]""", r)]
    assert any(re.match(r"jupyterlab\b.*>=4\.6", r) and "<5" in r for r in lab), lab
    core = [r for r in requires if "extra ==" not in r]
    assert not [r for r in core if re.match(r"(jupyterlab|jupyter[-_]server|notebook)\b", r)], core


def test_the_sdist_rebuilds_into_an_equal_wheel(dists: Dists) -> None:
    from_sdist, from_tree = wheel_files(dists.wheel), wheel_files(dists.tree_wheel)
    record = f"tokentoss-{VERSION}.dist-info/RECORD"
    assert sorted(from_sdist) == sorted(from_tree)
    compared = [
        name
        for name in from_sdist
        if name.endswith(".py")
        or name.endswith("/schemas/tokentoss/plugin.json")
        or name.endswith(f"{LABEXT}/package.json")
    ]
    assert len(compared) > 10
    for name in compared:
        assert from_sdist[name] == from_tree[name], name
    assert from_sdist[record] == from_tree[record]


# ---- installing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Venv:
    path: Path
    env: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.path / "bin"


def nodeless_bin(dest: Path) -> Path:
    """A folder of links to everything in /usr/bin and /bin except Node.js and its tools."""
    dest.mkdir()
    for folder in (Path("/usr/bin"), Path("/bin")):
        for entry in folder.iterdir():
            if entry.name not in NODE_TOOLS and not (dest / entry.name).exists():
                (dest / entry.name).symlink_to(entry)
    return dest


@pytest.fixture(scope="module")
def venv(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    base = tmp_path_factory.mktemp("fresh")
    path = base / "venv"
    run([sys.executable, "-m", "venv", str(path)])
    # The same JupyterLab as here. Its wheels and the wheel's dependencies are kept in a local
    # wheelhouse: installing from it without an index takes half the time.
    jupyterlab = run(
        [sys.executable, "-c", "import jupyterlab; print(jupyterlab.__version__)"]
    ).strip()
    wanted = [f"tokentoss[server] @ {dists.wheel.as_uri()}", f"jupyterlab=={jupyterlab}"]
    pip_env = {**os.environ, "PIP_CACHE_DIR": str(PIP_CACHE), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run(
        [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(WHEELHOUSE), *wanted],
        env=pip_env,
        timeout=600,
    )
    for stale in WHEELHOUSE.glob("tokentoss-*.whl"):
        stale.unlink()  # the wheel under test is installed from dist/, never from here
    python = str(path / "bin" / "python")
    run(
        [python, "-m", "pip", "install", "-q", "--no-index", "-f", str(WHEELHOUSE), *wanted],
        env=pip_env,
        timeout=600,
    )
    home = base / "home"
    home.mkdir()
    search_path = os.pathsep.join([str(path / "bin"), str(nodeless_bin(base / "sysbin"))])
    assert shutil.which("node", path=search_path) is None
    assert shutil.which("npm", path=search_path) is None
    env = {
        "PATH": search_path,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TOKENTOSS_TOKEN_FILE": str(home / "tokens" / "tokens.json"),
    }
    return Venv(path, env)


def jupyter(venv: Venv, *args: str) -> str:
    return run([str(venv.bin / "jupyter"), *args], env=venv.env, cwd=venv.path.parent)


def test_no_node_on_the_fresh_venvs_path(venv: Venv) -> None:
    assert shutil.which("node", path=venv.env["PATH"]) is None
    result = subprocess.run(
        ["sh", "-c", "command -v node || echo absent"], env=venv.env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "absent"


def test_jupyter_labextension_list_shows_tokentoss_enabled_ok(venv: Venv) -> None:
    output = jupyter(venv, "labextension", "list")
    assert re.search(rf"^\s*tokentoss v{re.escape(VERSION)} enabled\s+OK", output, re.M), output
    # Found in the fresh venv's share folder (the wheel's data), not anywhere else.
    section = output.split(str(venv.path / "share" / "jupyter" / "labextensions"), 1)
    assert len(section) == 2, output
    assert "tokentoss" in section[1].split("\n\n", 1)[0], output


def test_jupyter_server_extension_list_shows_tokentoss_enabled_ok(venv: Venv) -> None:
    output = jupyter(venv, "server", "extension", "list")
    assert re.search(r"^\s*tokentoss enabled\s*$", output, re.M), output
    assert re.search(rf"^\s*tokentoss {re.escape(VERSION)} OK\s*$", output, re.M), output
    assert f"Config dir: {venv.path / 'etc' / 'jupyter'}" in output


BROWSER_RUNNER = """
import os
from jupyterlab import browser_check

NODE, HARNESS = os.environ["TOKENTOSS_CHECK_NODE"], os.environ["TOKENTOSS_CHECK_HARNESS"]


async def run_browser(url):
    # Upstream installs Playwright with npm and downloads a browser here; we run its own
    # browser-test.js against the system Chromium instead (see the harness folder).
    await browser_check.run_async_process([NODE, "browser-test.js", url], cwd=HARNESS)


browser_check.run_browser = run_browser


# As `python -m jupyterlab.browser_check` does: the app is a server extension of __main__.
class BrowserApp(browser_check.BrowserApp):
    name = __name__


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": BrowserApp}]


BrowserApp.launch_instance()
"""

PLAYWRIGHT_SHIM = """
// `require('playwright')` for jupyterlab's browser-test.js: playwright-core driving the system
// Chromium with the flags this project uses everywhere (no downloads, no background traffic).
const core = require(process.env.TOKENTOSS_PLAYWRIGHT_CORE);
const launch = core.chromium.launch.bind(core.chromium);
core.chromium.launch = options =>
  launch({
    ...options,
    executablePath: process.env.TOKENTOSS_CHROMIUM,
    args: JSON.parse(process.env.TOKENTOSS_CHROMIUM_ARGS)
  });
module.exports = core;
"""


def test_browser_check_passes_without_node_on_the_path(venv: Venv, tmp_path: Path) -> None:
    """``python -m jupyterlab.browser_check``, with its browser step run on the system Chromium.

    The Jupyter server (and so the extension) runs with no node on its PATH; only the headless
    browser harness, which upstream installs with npm, is node: we start it by absolute path.
    """
    node = shutil.which("node")
    if not (node and CHROMIUM.exists() and PLAYWRIGHT_CORE.exists()):
        pytest.skip("needs node, /usr/bin/chromium and ui-tests/node_modules (npm ci in ui-tests)")
    harness = tmp_path / "harness"
    (harness / "node_modules" / "playwright").mkdir(parents=True)
    (harness / "node_modules" / "playwright" / "index.js").write_text(PLAYWRIGHT_SHIM)
    site = run(
        [
            str(venv.bin / "python"),
            "-c",
            "import jupyterlab, os; print(os.path.dirname(jupyterlab.__file__))",
        ],
        env=venv.env,
    ).strip()
    shutil.copy(Path(site) / "browser-test.js", harness / "browser-test.js")
    runner = tmp_path / "browser_check_runner.py"
    runner.write_text(BROWSER_RUNNER)
    env = {
        **venv.env,
        "TOKENTOSS_CHECK_NODE": node,
        "TOKENTOSS_CHECK_HARNESS": str(harness),
        "TOKENTOSS_PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE),
        "TOKENTOSS_CHROMIUM": str(CHROMIUM),
        "TOKENTOSS_CHROMIUM_ARGS": json.dumps(CHROMIUM_ARGS),
    }
    # DEBUG logs every request: they show that the browser fetched and activated the extension.
    args = ["--ServerApp.log_level=DEBUG"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    output = run([str(venv.bin / "python"), str(runner), *args], env=env, cwd=tmp_path, timeout=240)
    assert "Browser test complete" in output, output[-4000:]
    assert re.search(r"GET /foo/lab/extensions/tokentoss/static/remoteEntry\.", output), output
    assert re.search(r"GET /foo/tokentoss/status", output), output
