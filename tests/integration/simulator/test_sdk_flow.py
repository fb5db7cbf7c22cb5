"""The official xero-python SDK, pointed at the simulator, runs a whole flow."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from xero_python.accounting import Account as SdkAccount
from xero_python.accounting import (
    AccountingApi,
    Contact,
    Contacts,
    Invoice,
    Invoices,
    LineAmountTypes,
    LineItem,
    Payment,
    Payments,
)
from xero_python.api_client import ApiClient
from xero_python.api_client.configuration import Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.identity import IdentityApi

from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_A
from tests.integration.simulator.conftest import REDIRECT_URI, exchange


def test_sdk_connect_invoice_pay_and_reverse(xero_sim):
    code = xero_sim.issue_authorization_code([DEMO_TENANT_A], REDIRECT_URI)
    token = exchange(xero_sim, code).json()
    token["expires_at"] = time.time() + token["expires_in"]
    store = {"token": token}
    client = ApiClient(
        Configuration(
            oauth2_token=OAuth2Token(client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET)
        ),
        oauth2_token_saver=lambda t: store.update(token=t),
        oauth2_token_getter=lambda: store["token"],
    )
    connections = IdentityApi(client, base_url=xero_sim.url).get_connections()
    assert [c.tenant_id for c in connections] == [DEMO_TENANT_A]
    tenant = str(connections[0].tenant_id)
    accounting = AccountingApi(client, base_url=xero_sim.url + "/api.xro/2.0")

    contact = accounting.create_contacts(
        tenant, Contacts(contacts=[Contact(name="SDK Customer", email_address="sdk@example.com")])
    ).contacts[0]
    assert contact.contact_id is not None
    draft = accounting.create_invoices(
        tenant,
        Invoices(
            invoices=[
                Invoice(
                    type="ACCREC",
                    contact=Contact(contact_id=contact.contact_id),
                    date=date(2024, 5, 1),
                    due_date=date(2024, 5, 31),
                    line_amount_types=LineAmountTypes.EXCLUSIVE,
                    line_items=[
                        LineItem(
                            description="Widgets",
                            quantity=3,
                            unit_amount=Decimal("33.3333"),
                            account_code="200",
                            tax_type="OUTPUT2",
                        )
                    ],
                )
            ]
        ),
    ).invoices[0]
    assert draft.status == "DRAFT"
    assert draft.sub_total == 100.0 and draft.total_tax == 15.0 and draft.total == 115.0

    approved = accounting.update_invoice(
        tenant, draft.invoice_id, Invoices(invoices=[Invoice(status="AUTHORISED")])
    ).invoices[0]
    assert approved.status == "AUTHORISED" and approved.amount_due == 115.0

    payment = accounting.create_payment(
        tenant,
        Payment(
            invoice=Invoice(invoice_id=draft.invoice_id),
            account=SdkAccount(code="090"),
            amount=115.0,
            date=date(2024, 5, 2),
            reference="SDK",
        ),
    ).payments[0]
    paid = accounting.get_invoice(tenant, draft.invoice_id).invoices[0]
    assert paid.status == "PAID" and paid.amount_due == 0.0 and paid.amount_paid == 115.0

    accounting.delete_payment(tenant, payment.payment_id, {"Status": "DELETED"})
    reopened = accounting.get_invoice(tenant, draft.invoice_id).invoices[0]
    assert reopened.status == "AUTHORISED" and reopened.amount_due == 115.0
    assert [p["Amount"] for p in xero_sim.created("Payments")] == [Decimal("115.00")]
    assert xero_sim.calls(DEMO_TENANT_A) >= 6
    assert Payments  # the plural model is what create_payments takes; imported for clarity
