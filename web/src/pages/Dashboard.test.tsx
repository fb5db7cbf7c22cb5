import { screen, within } from "@testing-library/react";
import Dashboard from "./Dashboard";
import { fakeApi, renderPage, TENANT } from "../test/render";
import { today } from "../lib/dates";

const daysFromToday = (days: number) => new Date(Date.parse(today()) + days * 86_400_000).toISOString().slice(0, 10);

const invoice = (id: string, type: "ACCREC" | "ACCPAY", currency: string, due: string, dueDate: string) => ({
  invoice_id: id, type, invoice_number: id, status: "AUTHORISED", contact: { name: "Someone" }, currency_code: currency, amount_due: due, due_date: dueDate, line_items: [],
});

// A New Zealand organisation with more EUR bills than NZD invoices: its own currency still leads.
const open = [
  invoice("INV-1", "ACCREC", "NZD", "1.10", daysFromToday(-45)),
  invoice("INV-2", "ACCREC", "NZD", "2.20", daysFromToday(10)),
  invoice("EUR-1", "ACCPAY", "EUR", "845.00", daysFromToday(5)),
  invoice("EUR-2", "ACCPAY", "EUR", "410.00", daysFromToday(5)),
  invoice("EUR-3", "ACCPAY", "EUR", "275.40", daysFromToday(-3)),
];

test("receivables and payables at a glance, in the organisation's own currency first", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/invoices`]: (call) => ({
      body: { invoices: call.query.get("status") === "AUTHORISED" ? open : [], page: 1, next_page: null },
    }),
  });
  renderPage(<Dashboard />, { fetcher });
  const owed = await screen.findByRole("link", { name: /Customers owe/ });
  expect(owed).toHaveTextContent("NZD 3.30"); // decimal: not 3.3000000000000003
  expect(screen.getByRole("link", { name: /Overdue receivables \(1\)/ })).toHaveTextContent("NZD 1.10");
  expect(screen.getByRole("link", { name: /We owe suppliers/ })).toHaveTextContent("NZD 0.00");
  expect(screen.getByLabelText("Currency")).toHaveValue("NZD");
  expect(within(screen.getByLabelText("Currency")).getAllByRole("option").map((o) => o.textContent)).toEqual(["EUR", "NZD"]);
  expect(calls.map((c) => c.query.get("status")).sort()).toEqual(["AUTHORISED", "PAID"]);
});
