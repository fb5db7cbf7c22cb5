"""The console in `make dev`: static files, /config.json, the SPA fallback, headers, rebuilds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from devstack.template import SamTemplate
from devstack.web import console_origins
from devstack.web_build import WebBuild
from devstack.web_server import WebApp

CONFIG = {
    "apiUrl": "http://127.0.0.1:3000",
    "oktaIssuer": "http://127.0.0.1:3200/oauth2/default",
    "oktaClientId": "0oadevconsole000001",
}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-abc.js").write_text("console.log('console')")
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    (tmp_path.parent / "secret.txt").write_text("outside dist")
    return tmp_path


def test_serves_files_config_and_the_spa_fallback(dist: Path) -> None:
    client = Client(WebApp(dist, CONFIG))
    asset = client.get("/assets/index-abc.js")
    assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]
    assert asset.headers["Content-Type"].startswith("text/javascript")
    config = client.get("/config.json")
    assert json.loads(config.get_data()) == CONFIG
    assert config.headers["Cache-Control"] == "no-store"
    for route in ("/", "/invoices/abc", "/login/callback?code=x&state=y"):
        page = client.get(route)
        assert page.status_code == 200 and b"<title>console</title>" in page.get_data(), route
        assert page.headers["Cache-Control"] == "no-cache"
    assert client.get("/assets/missing.js").status_code == 404  # no HTML for a missing script
    assert b"outside dist" not in client.get("/../secret.txt").get_data()
    assert client.post("/").status_code == 405


def test_every_answer_carries_the_security_headers(dist: Path) -> None:
    headers = Client(WebApp(dist, CONFIG)).get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:3200" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_the_console_is_rebuilt_only_when_its_inputs_change(tmp_path: Path) -> None:
    web = tmp_path / "web"
    (web / "src").mkdir(parents=True)
    (web / "src" / "main.tsx").write_text("one")
    (web / "node_modules" / "x").mkdir(parents=True)
    (web / "node_modules" / "x" / "index.js").write_text("ignored")
    description = tmp_path / "openapi.json"
    description.write_text("{}")
    build = WebBuild(web_dir=web, api_description=description)
    (web / "dist").mkdir()
    (web / "dist" / "index.html").write_text("built")
    (web / "dist" / ".source-hash").write_text(build.source_hash())
    assert build.is_current()
    (web / "node_modules" / "x" / "index.js").write_text("still ignored")
    assert build.is_current()
    description.write_text('{"paths": {}}')  # a new API description: a new client
    assert not build.is_current()
    (web / "dist" / ".source-hash").write_text(build.source_hash())
    (web / "src" / "main.tsx").write_text("two")
    assert not build.is_current()


def test_the_api_admits_the_consoles_origins() -> None:
    from devstack.gateway import LocalGateway

    origins = console_origins(5999)
    assert origins == ("http://127.0.0.1:5999", "http://localhost:5999")
    gateway = LocalGateway(SamTemplate(), {}, cors_origins=origins)
    assert gateway.cors_origins == set(origins)
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request, Response

    request = Request(EnvironBuilder(headers={"Origin": origins[0]}).get_environ())
    answered = gateway._cors(request, Response(status=429, headers={"Retry-After": "3"}))
    assert answered.headers["Access-Control-Allow-Origin"] == origins[0]
    assert "retry-after" in answered.headers["Access-Control-Expose-Headers"]  # readable there
    # Without the stack's list, the template's default (the Vite dev server) is used.
    assert LocalGateway(SamTemplate(), {}).cors_origins == {"http://localhost:5173"}
