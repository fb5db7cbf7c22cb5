import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import BatchPay from "./BatchPay";
import { fakeApi, renderPage, TENANT } from "../test/render";

const bill = (id: string, number: string, due: string) => ({ invoice_id: id, type: "ACCPAY", invoice_number: number, status: "AUTHORISED", contact: { name: "PowerDirect" }, currency_code: "NZD", amount_due: due, line_items: [] });

test("several bills are paid in one batch with one key, each for its amount due", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/invoices/b-1`]: () => ({ body: bill("b-1", "PD-1", "0.10") }),
    [`GET /tenants/${TENANT}/invoices/b-2`]: () => ({ body: bill("b-2", "PD-2", "0.20") }),
    [`GET /tenants/${TENANT}/accounts`]: () => ({ body: { accounts: [{ account_id: "bank-1", name: "Business Bank", type: "BANK" }], page: 1, next_page: null } }),
    [`POST /tenants/${TENANT}/payments/batch`]: () => ({
      body: {
        batch_id: "batch-123456789",
        results: [
          { index: 0, status: "recorded", payment: { payment_id: "p-1", status: "recorded", rail: "xero", amount: "0.10", invoice_id: "b-1" } },
          { index: 1, status: "invalid", error: { code: "xero_validation", message: "Payment amount exceeds the amount due" } },
        ],
        summary: { recorded: 1, invalid: 1 },
      },
    }),
  });
  renderPage(<BatchPay />, { fetcher, path: "/pay/batch?ids=b-2,b-1" });
  const user = userEvent.setup();
  expect(await screen.findByText("Total: NZD 0.30")).toBeInTheDocument(); // decimal, not 0.30000000000000004
  await screen.findByRole("option", { name: /Business Bank/ });
  await user.selectOptions(screen.getByLabelText("Paid from"), "bank-1");
  await user.click(screen.getByRole("button", { name: "Pay 2 bills" }));
  expect(await screen.findByText("Payment amount exceeds the amount due")).toBeInTheDocument();
  const batch = calls.find((c) => c.path.endsWith("/payments/batch"))!;
  expect(batch.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  expect((batch.body as { payments: { invoice_id: string; amount: string }[] }).payments.map((p) => [p.invoice_id, p.amount])).toEqual([
    ["b-1", "0.10"],
    ["b-2", "0.20"],
  ]);
});
