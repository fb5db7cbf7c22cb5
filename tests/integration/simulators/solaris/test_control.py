"""The /_sim/ control surface and the standalone `python -m devstack.solaris_simulator`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.integration.simulators.solaris.conftest import (
    HTTP,
    MATCH,
    Api,
    sim_get,
    sim_post,
    sim_put,
)

ROOT = Path(__file__).resolve().parents[4]


def test_reset_forgets_everything_and_restores_the_opening_balance(api: Api):
    sim_put(api.sim, "/balance", {"value": 5_000})
    api.pay(api.transfer_body(MATCH, cents=1_000))
    sim_post(api.sim, "/clock/advance", {"seconds": 120})
    sim_post(api.sim, "/reset")
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert sim_get(api.sim, "/webhooks")["count"] == 0
    assert sim_get(api.sim, "/clock")["offset"] == 0
    assert sim_get(api.sim, "/balance")["balance"]["value"] == 25_000_000
    assert api.get(f"/v1/accounts/{api.sim.config.account_id}/balance").status_code == 401


def test_set_balance_counts_what_is_already_booked(api: Api):
    api.pay(api.transfer_body(MATCH, cents=1_000))
    sim_post(api.sim, "/settle")
    sim_put(api.sim, "/balance", {"value": 50_000})
    assert api.balance() == (50_000, 50_000)
    assert HTTP.put(f"{api.sim.url}/_sim/balance", json={"value": 1.5}).status_code == 400


def test_the_call_log_and_config_changes(api: Api):
    api.get(f"/v1/accounts/{api.sim.config.account_id}/balance")
    calls = sim_get(api.sim, "/calls")["calls"]
    assert {"method": "GET", "path": f"/v1/accounts/{api.sim.config.account_id}/balance",
            "status": 200} in calls  # fmt: skip
    for refused in ({"client_secret": "x"}, {"execution_delay": "soon"}, {"webhook_url": 3}):
        assert HTTP.patch(f"{api.sim.url}/_sim/config", json=refused).status_code == 400
    changed = HTTP.patch(f"{api.sim.url}/_sim/config", json={"execution_delay": 5})
    assert changed.json()["execution_delay"] == 5
    transfer = api.pay(api.transfer_body(MATCH)).json()
    sim_post(api.sim, "/clock/advance", {"seconds": 5})
    assert api.get(f"{api.account_path}/{transfer['id']}").json()["status"] == "executed"


def test_python_dash_m_runs_it_standalone():
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'shared'}:{ROOT}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack.solaris_simulator", "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("solaris: http://127.0.0.1:")
        url = first.removeprefix("solaris: ")
        assert HTTP.get(f"{url}/_sim/clock").status_code == 200
        lines = [process.stdout.readline().strip() for _ in range(4)]
        assert "solaris tan: 212212" in lines
    finally:
        process.terminate()
        process.wait(timeout=10)
