import type { Invoice } from "../api/queries";
import { agedBy, bucketOf, cashFlow } from "./aging";

const invoice = (over: Partial<Invoice>): Invoice => ({ invoice_id: Math.random().toString(), type: "ACCREC", status: "AUTHORISED", currency_code: "NZD", amount_due: "100.00", due_date: "2026-12-01", ...over }) as Invoice;

test("ages by days past the due date", () => {
  const on = "2026-12-01";
  expect(bucketOf("2026-12-01", on)).toBe("Not yet due");
  expect(bucketOf("2026-11-30", on)).toBe("1–30 days");
  expect(bucketOf("2026-10-01", on)).toBe("61–90 days");
  expect(bucketOf("2026-01-01", on)).toBe("Over 90 days");
});

test("adds up outstanding invoices of one type per currency, overdue apart", () => {
  const aged = agedBy(
    [
      invoice({ amount_due: "0.10", due_date: "2026-11-20" }),
      invoice({ amount_due: "0.20", due_date: "2026-11-25" }),
      invoice({ amount_due: "50.00", due_date: "2026-12-24" }),
      invoice({ amount_due: "999.00", type: "ACCPAY" }),
      invoice({ amount_due: "7.00", status: "PAID" }),
      invoice({ amount_due: "5.00", currency_code: "AUD" }),
    ],
    "ACCREC",
    "2026-12-01",
  );
  const nzd = aged.get("NZD")!;
  expect(nzd.outstanding.toFixed(2)).toBe("50.30");
  expect(nzd.overdue.toFixed(2)).toBe("0.30");
  expect(nzd.overdueCount).toBe(2);
  expect(nzd.buckets["1–30 days"].toFixed(2)).toBe("0.30");
  expect(aged.get("AUD")!.outstanding.toFixed(2)).toBe("5.00");
});

test("money in and out by the month an invoice was fully paid", () => {
  const paid = [
    invoice({ status: "PAID", amount_paid: "100.00", fully_paid_on_date: "2026-11-03" }),
    invoice({ status: "PAID", type: "ACCPAY", amount_paid: "40.00", fully_paid_on_date: "2026-12-01" }),
    invoice({ status: "PAID", amount_paid: "1.00", fully_paid_on_date: "2025-01-01" }),
  ];
  const flows = cashFlow(paid, "NZD", 3, new Date("2026-12-15T00:00:00Z"));
  expect(flows.map((f) => [f.month, f.moneyIn.toFixed(2), f.moneyOut.toFixed(2)])).toEqual([
    ["2026-10", "0.00", "0.00"],
    ["2026-11", "100.00", "0.00"],
    ["2026-12", "0.00", "40.00"],
  ]);
});
