"""A wheel built from the checkout serves from any folder: browser files, migrations,
templates and translations all ship inside the ``pinnwand`` import package."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from tests.support.server import ServerProcess, server_env

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class WheelServer(ServerProcess):
    """``python -m pinnwand.cli serve`` with the wheel's files first on the path."""

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-m", "pinnwand.cli", "serve", "--host", self.host,
                "--port", str(self.port)]


def _run(*command: str, cwd=None, env=None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> str:
    """The wheel of the checkout, installed (without its dependencies, which this
    interpreter has) into a folder of its own."""
    wheels, target = tmp_path_factory.mktemp("wheels"), tmp_path_factory.mktemp("site")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), ROOT)
    (wheel,) = wheels.glob("pinnwand-*.whl")
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel))
    return str(target)


def test_a_wheel_serves_pages_assets_and_api_from_another_folder(installed_wheel, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "instance").mkdir(parents=True)
    env = {**server_env(elsewhere / "instance"), "PYTHONPATH": installed_wheel}
    found = _run(sys.executable, "-c", "import pinnwand; print(pinnwand.__file__)",
                 cwd=elsewhere, env=env)
    assert found.startswith(installed_wheel), found  # not the checkout
    server = WheelServer(env, cwd=elsewhere).start()
    try:
        page = requests.get(f"{server.url}/", headers={"Accept-Language": "de"}, timeout=30)
        assert page.status_code == 200 and 'lang="de"' in page.text
        script = requests.get(f"{server.url}/assets/js/phone.js", timeout=30)
        assert script.status_code == 200 and "import" in script.text
        wrong = requests.post(f"{server.url}/api/v1/join", json={"code": "ABCDEF", "name": "A"},
                              timeout=30)
        assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_found"
    finally:
        server.terminate()
    assert (elsewhere / "instance" / "pinnwand.db").is_file()
