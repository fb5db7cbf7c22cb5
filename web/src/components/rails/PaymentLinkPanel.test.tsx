import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Invoice } from "../../api/queries";
import { bob, fakeApi, renderPage, TENANT } from "../../test/render";
import { PaymentLinkPanel } from "./PaymentLinkPanel";

const INVOICE = { invoice_id: "inv-5", type: "ACCREC", invoice_number: "INV-EU-0101", status: "AUTHORISED", currency_code: "EUR", amount_due: "249.90" } as Invoice;
const LINK = {
  payment_link_id: "pl-1",
  redirect_url: "http://saferpay.test/vt2/api/PaymentPage/abc",
  expires_at: "2026-12-02T10:20:00+00:00",
  status: "open",
  reason: null,
  invoice_id: "inv-5",
  invoice_number: "INV-EU-0101",
  amount: "249.90",
  currency_code: "EUR",
  payment_id: "p-5",
  payment_status: "executing",
  transaction_id: null,
  recorded_in_xero: false,
  xero_payment_id: null,
  created_by: "alice@example.com",
  created_at: "2026-12-02T10:00:00+00:00",
};
const none = () => ({ status: 404, body: { error: { code: "not_found", message: "This invoice has no payment link", details: [] } } });

test("no link yet: create one with an Idempotency-Key, then copy it", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/invoices/inv-5/payment_link`]: none,
    [`POST /tenants/${TENANT}/invoices/inv-5/payment_link`]: () => ({ status: 201, body: LINK }),
  });
  renderPage(<PaymentLinkPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  const user = userEvent.setup();
  const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
  expect(await screen.findByText(/No payment link yet/)).toBeInTheDocument();
  await user.click(screen.getByRole("checkbox", { name: /note the link/ }));
  await user.click(screen.getByRole("button", { name: /Create a payment link for EUR 249.90/ }));
  expect(await screen.findByLabelText("Link for the customer")).toHaveValue(LINK.redirect_url);
  expect(screen.getByTestId("payment-link")).toHaveTextContent("Open");
  expect(screen.queryByRole("button", { name: /Create a payment link/ })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Copy" }));
  expect(writeText).toHaveBeenCalledWith(LINK.redirect_url);
  expect(screen.getByText("Copied to the clipboard.")).toBeInTheDocument();
  const post = calls.find((c) => c.method === "POST")!;
  expect(post.body).toEqual({ note_on_invoice: true });
  expect(post.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});

test("a failed link shows its reason and can be made again; the API's refusal is shown", async () => {
  const { fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/invoices/inv-5/payment_link`]: () => ({ body: { ...LINK, status: "failed", reason: { code: "declined", message: "The card was declined" } } }),
    [`POST /tenants/${TENANT}/invoices/inv-5/payment_link`]: () => ({ status: 422, body: { error: { code: "currency_not_supported", message: "Card links take EUR invoices only", details: [] } } }),
  });
  renderPage(<PaymentLinkPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  expect(await screen.findByText("The card was declined")).toBeInTheDocument();
  expect(screen.queryByLabelText("Link for the customer")).toBeNull();
  await userEvent.setup().click(screen.getByRole("button", { name: /Create a payment link/ }));
  expect(await screen.findByText("Card links take EUR invoices only")).toBeInTheDocument();
});

test("an approver sees the link's status but cannot create one", async () => {
  const { fetcher } = fakeApi({ [`GET /tenants/${TENANT}/invoices/inv-5/payment_link`]: none });
  renderPage(<PaymentLinkPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher, session: bob });
  expect(await screen.findByText(/No payment link yet/)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: /Create a payment link/ })).toBeNull();
});

test("a load error is the API's message with a retry", async () => {
  const { fetcher } = fakeApi({ [`GET /tenants/${TENANT}/invoices/inv-5/payment_link`]: () => ({ status: 503, body: { error: { code: "unavailable", message: "Saferpay is unavailable", details: [] } } }) });
  renderPage(<PaymentLinkPanel tenantId={TENANT} invoice={INVOICE} />, { fetcher });
  expect(await screen.findByRole("alert")).toHaveTextContent("Saferpay is unavailable");
  expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
});
