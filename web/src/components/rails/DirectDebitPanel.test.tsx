import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Invoice } from "../../api/queries";
import { fakeApi, renderPage, TENANT } from "../../test/render";
import { DirectDebitPanel } from "./DirectDebitPanel";

const INVOICE = { invoice_id: "inv-6", type: "ACCREC", invoice_number: "INV-DD-0201", status: "AUTHORISED", currency_code: "EUR", amount_due: "480.00", contact: { contact_id: "c-6", name: "Kaffeerösterei Weiss" } } as Invoice;
const MANDATE = {
  contact_id: "c-6",
  status: "awaiting_authorisation",
  collectable: false,
  authorisation_url: "http://gocardless.test/flow/BRF123",
  authorisation_expires_at: null,
  currency: "EUR",
  scheme: "sepa_core",
  mandate_id: null,
  billing_request_id: "BRQ1",
  next_possible_charge_date: null,
  cause: null,
  description: null,
  requested_by: "alice@example.com",
  created_at: "2026-12-02T10:00:00+00:00",
  updated_at: "2026-12-02T10:00:00+00:00",
};
const MANDATES = `/tenants/${TENANT}/contacts/c-6/mandate`;

test("no mandate: ask for one, and the authorisation page is there to copy", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET ${MANDATES}`]: () => ({ status: 404, body: { error: { code: "not_found", message: "No mandate", details: [] } } }),
    [`POST ${MANDATES}`]: () => ({ status: 201, body: MANDATE }),
  });
  renderPage(<DirectDebitPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  const user = userEvent.setup();
  expect(await screen.findByText("Kaffeerösterei Weiss has no direct debit mandate yet.")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: /^Collect/ })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Ask Kaffeerösterei Weiss for a mandate" }));
  expect(await screen.findByLabelText("Send the customer this authorisation page")).toHaveValue(MANDATE.authorisation_url);
  expect(screen.getByTestId("mandate")).toHaveTextContent("Awaiting authorisation");
  expect(screen.queryByRole("button", { name: /for a mandate/ })).toBeNull();
  expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
});

test("an active mandate: collect the amount due once, with an Idempotency-Key, and see its status", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET ${MANDATES}`]: () => ({ body: { ...MANDATE, status: "active", collectable: true, mandate_id: "MD1", next_possible_charge_date: "2026-12-07" } }),
    [`POST /tenants/${TENANT}/invoices/inv-6/collect`]: async () => {
      await new Promise((r) => setTimeout(r, 50));
      return { body: { payment_id: "p-6", status: "executing", rail: "gocardless", rail_status: "pending_submission", rail_reference: "PM1", amount: "480.00", currency_code: "EUR" } };
    },
  });
  renderPage(<DirectDebitPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  const user = userEvent.setup();
  expect(await screen.findByText(/Can be charged from 7 Dec 2026/)).toBeInTheDocument();
  await user.dblClick(screen.getByRole("button", { name: "Collect EUR 480.00 by direct debit" }));
  expect(await screen.findByTestId("collection")).toHaveTextContent("GoCardless: Pending submission");
  const posts = calls.filter((c) => c.method === "POST");
  expect(posts).toHaveLength(1);
  expect(posts[0]!.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});

test("a refused collection shows the API's message; other currencies have no direct debit", async () => {
  const { fetcher } = fakeApi({
    [`GET ${MANDATES}`]: () => ({ body: { ...MANDATE, status: "active", collectable: true } }),
    [`POST /tenants/${TENANT}/invoices/inv-6/collect`]: () => ({ status: 422, body: { error: { code: "mandate_required", message: "No usable mandate in EUR", details: [] } } }),
  });
  const { unmount } = renderPage(<DirectDebitPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  await userEvent.setup().click(await screen.findByRole("button", { name: /^Collect/ }));
  expect(await screen.findByRole("alert")).toHaveTextContent("No usable mandate in EUR");
  unmount();
  const { container } = renderPage(<DirectDebitPanel tenantId={TENANT} invoice={{ ...INVOICE, currency_code: "NZD" }} />, { fetcher });
  expect(container).toBeEmptyDOMElement();
});
