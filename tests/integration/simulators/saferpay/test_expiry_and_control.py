"""Token lifetimes on the simulated clock, the /_sim/ controls, and running it on its own."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

from devstack.demo_data import SAFERPAY_CARD_AUTH_FAILS, SAFERPAY_CARD_SUCCESS

from .conftest import Saferpay, submit_card

TWENTY_MINUTES = 20 * 60


def test_the_redirect_url_expires_after_twenty_minutes(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    expiration = datetime.fromisoformat(init["Expiration"])
    assert expiration - saferpay.sim.clock.now_dt() > timedelta(minutes=19, seconds=55)
    assert expiration - saferpay.sim.clock.now_dt() <= timedelta(minutes=20)

    advanced = saferpay.http.post(
        f"{saferpay.sim.url}/_sim/clock/advance", json={"seconds": TWENTY_MINUTES}
    )
    assert advanced.status_code == 200

    page = saferpay.http.get(init["RedirectUrl"])
    assert page.status_code == 410
    assert "expired" in page.text
    paid = saferpay.http.post(init["RedirectUrl"], data={"CardNumber": SAFERPAY_CARD_SUCCESS})
    assert paid.status_code == 410
    asserted = saferpay.assert_(init["Token"])
    assert asserted.status_code == 402
    assert asserted.json()["ErrorName"] == "TOKEN_EXPIRED"


def test_a_page_paid_in_time_asserts_for_a_day(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    saferpay.sim.clock.advance(TWENTY_MINUTES - 5)
    response, _ = submit_card(saferpay.http, init["RedirectUrl"], SAFERPAY_CARD_SUCCESS)
    assert response.status_code == 303

    saferpay.sim.clock.advance(23 * 3600)
    assert saferpay.assert_(init["Token"]).status_code == 200
    saferpay.sim.clock.advance(3600)
    assert saferpay.assert_(init["Token"]).json()["ErrorName"] == "TOKEN_EXPIRED"


def test_the_page_of_another_terminal_path_is_not_found(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    wrong = init["RedirectUrl"].replace("/17795278/", "/12345678/")
    assert saferpay.http.get(wrong).status_code == 404
    unknown = f"{saferpay.sim.url}/vt2/api/PaymentPage/401860/17795278/nosuchtoken"
    assert saferpay.http.get(unknown).status_code == 404


def test_sim_lists_tokens_transactions_and_pays_without_a_browser(saferpay: Saferpay) -> None:
    init = saferpay.initialize()
    paid = saferpay.pay(init["Token"], SAFERPAY_CARD_AUTH_FAILS)
    assert paid.status_code == 200
    assert paid.json()["Failure"]["ErrorName"] == "3DS_AUTHENTICATION_FAILED"

    token = saferpay.http.get(f"{saferpay.sim.url}/_sim/tokens/{init['Token']}").json()
    assert token["status"] == "FAILED"
    assert token["redirect_url"] == init["RedirectUrl"]
    listed = saferpay.http.get(f"{saferpay.sim.url}/_sim/transactions").json()["transactions"]
    assert [t["Token"] for t in listed] == [init["Token"]]
    bad = saferpay.pay(saferpay.initialize()["Token"], "1234")
    assert bad.status_code == 400

    assert saferpay.http.post(f"{saferpay.sim.url}/_sim/reset").status_code == 200
    assert saferpay.http.get(f"{saferpay.sim.url}/_sim/tokens").json()["tokens"] == []


def test_settings_can_be_changed_until_the_next_reset(saferpay: Saferpay) -> None:
    url = f"{saferpay.sim.url}/_sim/config"
    assert saferpay.http.patch(url, json={"page_ttl_seconds": 60}).status_code == 200
    init = saferpay.initialize()
    saferpay.sim.clock.advance(61)
    assert saferpay.http.get(init["RedirectUrl"]).status_code == 410

    assert saferpay.http.patch(url, json={"page_ttl_seconds": "soon"}).status_code == 400
    assert saferpay.http.patch(url, json={"no_such_setting": 1}).status_code == 400
    saferpay.http.post(f"{saferpay.sim.url}/_sim/reset")
    assert saferpay.sim.config.page_ttl_seconds == TWENTY_MINUTES


def test_python_m_runs_the_simulator_and_prints_its_url() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack.saferpay_simulator", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("saferpay: http://127.0.0.1:")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
