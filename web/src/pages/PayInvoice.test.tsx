import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import PayInvoice from "./PayInvoice";
import { fakeApi, renderPage, TENANT } from "../test/render";

const BILL = {
  invoice_id: "inv-1",
  type: "ACCPAY",
  invoice_number: "PD-7781",
  status: "AUTHORISED",
  contact: { contact_id: "c-1", name: "Power Direct" },
  currency_code: "NZD",
  amount_due: "12500.00",
  line_items: [],
};
const BANK = { accounts: [{ account_id: "bank-1", code: "090", name: "Business Bank", type: "BANK", currency_code: "NZD" }], page: 1, next_page: null };

function setUp(answer: (n: number) => { status: number; body: unknown }) {
  let n = 0;
  return fakeApi({
    [`GET /tenants/${TENANT}/invoices/inv-1`]: () => ({ body: BILL }),
    [`GET /tenants/${TENANT}/accounts`]: () => ({ body: BANK }),
    [`POST /tenants/${TENANT}/payments`]: async () => {
      n += 1;
      await new Promise((r) => setTimeout(r, 50));
      return answer(n);
    },
  });
}

const payment = (status: string) => ({ payment_id: "p-1", status, rail: "xero", rail_status: null, rail_reference: null, amount: "12500.00", invoice_id: "inv-1", invoice_number: "PD-7781", currency_code: "NZD" });

async function fillAndPay(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByRole("option", { name: /Business Bank/ });
  await user.selectOptions(screen.getByLabelText("Paid from"), "bank-1");
}

test("the amount defaults to the amount due; a double click pays once; above the threshold it is pending", async () => {
  const { calls, fetcher } = setUp(() => ({ status: 202, body: payment("pending_approval") }));
  renderPage(<PayInvoice />, { fetcher, path: "/invoices/inv-1/pay", route: "/invoices/:invoiceId/pay" });
  const user = userEvent.setup();
  expect(await screen.findByLabelText(/^Amount/)).toHaveValue("12500.00");
  await fillAndPay(user);
  await user.dblClick(screen.getByRole("button", { name: /^Pay/ }));
  expect(await screen.findByText(/a second person must approve it/)).toBeInTheDocument();
  const posts = calls.filter((c) => c.method === "POST");
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body).toEqual({ invoice_id: "inv-1", account_id: "bank-1", amount: "12500.00", date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  expect(posts[0]!.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});

test("a retry after an error sends the same Idempotency-Key, and the error is the API's message", async () => {
  const { calls, fetcher } = setUp((n) =>
    n === 1 ? { status: 503, body: { error: { code: "xero_unavailable", message: "Xero is unavailable; try again with the same Idempotency-Key", details: [] } } } : { status: 201, body: payment("recorded") },
  );
  renderPage(<PayInvoice />, { fetcher, path: "/invoices/inv-1/pay", route: "/invoices/:invoiceId/pay" });
  const user = userEvent.setup();
  await fillAndPay(user);
  await user.click(screen.getByRole("button", { name: /^Pay/ }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Xero is unavailable; try again with the same Idempotency-Key");
  await user.click(screen.getByRole("button", { name: /^Pay/ }));
  expect(await screen.findByText("Recorded in Xero.")).toBeInTheDocument();
  const keys = calls.filter((c) => c.method === "POST").map((c) => c.headers.get("Idempotency-Key"));
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBe(keys[1]);
});

test("an amount above the amount due is refused before anything is sent", async () => {
  const { calls, fetcher } = setUp(() => ({ status: 201, body: payment("recorded") }));
  renderPage(<PayInvoice />, { fetcher, path: "/invoices/inv-1/pay", route: "/invoices/:invoiceId/pay" });
  const user = userEvent.setup();
  const amount = await screen.findByLabelText(/^Amount/);
  await user.clear(amount);
  await user.type(amount, "12500.01");
  await fillAndPay(user);
  expect(screen.getByText("That is more than the amount due.")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: /^Pay/ })).toBeDisabled();
  await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(0));
});

test("a EUR bill can be paid by SEPA through Solaris: no bank account, rail solaris_sepa, TAN awaited", async () => {
  let bodies: unknown[] = [];
  const { calls, fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/invoices/inv-2`]: () => ({ body: { ...BILL, invoice_id: "inv-2", invoice_number: "MB-2024-117", currency_code: "EUR", amount_due: "1234.56" } }),
    [`GET /tenants/${TENANT}/accounts`]: () => ({ body: BANK }),
    [`POST /tenants/${TENANT}/payments`]: (call) => {
      bodies = [...bodies, call.body];
      return { status: 200, body: { ...payment("awaiting_confirmation"), rail: "solaris_sepa", tan_awaited: true, currency_code: "EUR", amount: "1234.56" } };
    },
  });
  renderPage(<PayInvoice />, { fetcher, path: "/invoices/inv-2/pay", route: "/invoices/:invoiceId/pay" });
  const user = userEvent.setup();
  await user.click(await screen.findByRole("radio", { name: /SEPA transfer through Solaris/ }));
  expect(screen.queryByLabelText("Paid from")).toBeNull();
  await user.click(screen.getByRole("button", { name: /^Pay by SEPA EUR/ }));
  expect(await screen.findByText(/Solaris sent a TAN/)).toBeInTheDocument();
  expect(bodies).toEqual([{ invoice_id: "inv-2", rail: "solaris_sepa", amount: "1234.56", date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
  expect(calls.find((c) => c.method === "POST")!.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});

test("an NZD bill offers no SEPA", async () => {
  const { fetcher } = setUp(() => ({ status: 201, body: payment("recorded") }));
  renderPage(<PayInvoice />, { fetcher, path: "/invoices/inv-1/pay", route: "/invoices/:invoiceId/pay" });
  expect(await screen.findByLabelText("Paid from")).toBeInTheDocument();
  expect(screen.queryByRole("radio", { name: /SEPA/ })).toBeNull();
});
