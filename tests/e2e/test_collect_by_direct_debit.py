"""Collecting sales invoices by direct debit through GoCardless on `make dev`, as people do
it: alice asks each customer for a mandate, the customer authorises it on GoCardless's page,
alice collects the invoice; GoCardless's webhooks come through the gateway, the queue and the
rail worker — three times each, newest first — and the invoice is PAID in Xero, once.
Penniless's collection fails with nothing in Xero; Fickle's is charged back after it was
recorded, and the invoice is due again. A forged webhook is answered 498."""

import re
import uuid

import httpx

from devstack.xero_simulator.seed_direct_debit import CUSTOMERS, EUR_INVOICES
from tests.e2e.drive import connect, make_token, polled, skip_unless_simulators, xero_payments_for

skip_unless_simulators("Xero", "GoCardless")

SCOPES = "xero:connect payments:write records:read"
STEP = 120  # simulated seconds between a sandbox scenario's steps, while this test runs
HTTP = httpx.Client(timeout=30)


class Shop:
    def __init__(self, stack) -> None:
        self.stack = stack
        self.api = stack.api
        self.gocardless = stack.urls["gocardless"]
        self.tenant = stack.settings["demo tenants"].split()[0]
        self.token = make_token(stack, "alice", SCOPES)
        connect(stack, self.token, [self.tenant])

    def headers(self, key: bool = False) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "Cache-Control": "no-cache"}
        return {**headers, "Idempotency-Key": str(uuid.uuid4())} if key else headers

    def mandate_url(self, scenario: str) -> str:
        contact = CUSTOMERS[scenario].contact_id
        return f"{self.api}/tenants/{self.tenant}/contacts/{contact}/mandate"

    def sim(self, method: str, path: str, **json) -> dict:
        answer = HTTP.request(method, f"{self.gocardless}/_sim{path}", json=json or None)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def deliver_everything(self, times: int = 1) -> None:
        """GoCardless sends what is pending, newest first, one webhook per event; each once
        more `times - 1` times."""
        sent = self.sim("POST", "/webhooks/deliver", order="reverse", separate=True)
        for delivery in sent["deliveries"]:
            assert delivery["status"] == 200, delivery  # the gateway's answer to GoCardless
            for _ in range(times - 1):
                self.sim("POST", f"/webhooks/{delivery['id']}/redeliver")

    def authorised_mandate(self, scenario: str) -> None:
        asked = HTTP.post(self.mandate_url(scenario), json={}, headers=self.headers())
        assert asked.status_code == 201, asked.text
        url = asked.json()["authorisation_url"]
        page = HTTP.get(url)  # the customer's browser
        assert page.status_code == 200 and CUSTOMERS[scenario].scenario in page.text
        form = dict(re.findall(r'name="(\w+)"(?: value="([^"]*)")?', page.text))
        done = HTTP.post(url.split("?")[0], data=form)
        assert done.status_code == 200 and "All done" in done.text, done.text
        self.sim("POST", "/clock/advance", seconds=2 * STEP + 10)  # submitted, then active
        self.deliver_everything()
        self.wait(lambda: HTTP.get(self.mandate_url(scenario), headers=self.headers()).json(),
                  lambda m: m.get("status") == "active")  # fmt: skip

    def collect(self, invoice: str) -> str:
        invoice_id = EUR_INVOICES[invoice][0]
        url = f"{self.api}/tenants/{self.tenant}/invoices/{invoice_id}/collect"
        answer = HTTP.post(url, json={}, headers=self.headers(key=True))
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "executing"
        return str(answer.json()["payment_id"])

    def payment(self, payment_id: str) -> dict:
        url = f"{self.api}/tenants/{self.tenant}/payments/{payment_id}"
        return dict(HTTP.get(url, headers=self.headers()).json())

    def invoice(self, invoice: str) -> dict:
        url = f"{self.api}/tenants/{self.tenant}/invoices/{EUR_INVOICES[invoice][0]}"
        return dict(HTTP.get(url, headers=self.headers()).json())

    def xero_payments(self, invoice: str) -> list[dict]:
        return xero_payments_for(self.stack, EUR_INVOICES[invoice][0])

    @staticmethod
    def wait(read, done, seconds: float = 40):
        found = polled(read, done, seconds)
        assert done(found), f"still {found}"
        return found


def test_collections_by_direct_debit_are_recorded_once_and_only_when_collected(local_stack):
    shop = Shop(local_stack)
    # The test moves GoCardless's time (two minutes a step) and sends its webhooks itself.
    shop.sim("PATCH", "/config", webhook_auto_deliver=False, scenario_step=STEP)
    try:
        for scenario in ("Successful", "Penniless", "Fickle"):
            shop.authorised_mandate(scenario)
        collected = {name: shop.collect(name) for name in ("successful", "penniless", "fickle")}
        shop.sim("POST", "/clock/advance", seconds=3 * STEP + 10)  # collected, or failed
        shop.deliver_everything(times=3)

        paid = shop.wait(lambda: shop.payment(collected["successful"]),
                         lambda p: p["status"] == "recorded")  # fmt: skip
        invoice = shop.invoice("successful")
        assert invoice["status"] == "PAID" and invoice["amount_due"] == "0.00"
        [recorded] = shop.xero_payments("successful")  # once
        assert paid["rail_reference"] in recorded["Reference"]

        failed = shop.wait(lambda: shop.payment(collected["penniless"]),
                           lambda p: p["status"] == "failed")  # fmt: skip
        assert failed["failure"][0]["code"] == "collection_failed"
        assert shop.xero_payments("penniless") == []
        assert shop.invoice("penniless")["amount_due"] == f"{EUR_INVOICES['penniless'][2]:.2f}"

        shop.wait(lambda: shop.payment(collected["fickle"]), lambda p: p["status"] == "recorded")
        assert shop.invoice("fickle")["amount_due"] == "0.00"
        shop.sim("POST", "/clock/advance", seconds=STEP)  # the customer's bank takes it back
        shop.deliver_everything(times=3)
        reversed_ = shop.wait(lambda: shop.payment(collected["fickle"]),
                              lambda p: p["status"] == "reversed")  # fmt: skip
        assert reversed_["rail_status"] == "charged_back"
        assert shop.invoice("fickle")["amount_due"] == f"{EUR_INVOICES['fickle'][2]:.2f}"
        assert [a["action"] for a in shop.payment(collected["fickle"])["audit"]] == [
            "submitted", "executing", "settled", "recorded", "reversed",
        ]  # fmt: skip
    finally:
        shop.sim("PATCH", "/config", webhook_auto_deliver=True, scenario_step=2.0)


def test_a_forged_gocardless_webhook_is_answered_498(local_stack):
    body = b'{"events":[{"id":"EV000FORGED","resource_type":"payments","action":"confirmed"}]}'
    forged = HTTP.post(f"{local_stack.api}/webhooks/gocardless", content=body,
                       headers={"Webhook-Signature": "0" * 64,
                                "Content-Type": "application/json"})  # fmt: skip
    assert forged.status_code == 498
    unsigned = HTTP.post(f"{local_stack.api}/webhooks/gocardless", content=body)
    assert unsigned.status_code == 498
