/** Aged receivables/payables and money in/out by month, computed from invoices (decimal-exact). */
import Big from "big.js";
import type { Invoice } from "../api/queries";
import { daysBetween, monthKey, recentMonths, today } from "./dates";
import { toBig } from "./money";

export const BUCKETS = ["Not yet due", "1–30 days", "31–60 days", "61–90 days", "Over 90 days"] as const;
export type Bucket = (typeof BUCKETS)[number];

export function bucketOf(dueDate: string | null | undefined, on: string): Bucket {
  if (!dueDate) return "Not yet due";
  const late = daysBetween(dueDate, on);
  if (late <= 0) return "Not yet due";
  if (late <= 30) return "1–30 days";
  if (late <= 60) return "31–60 days";
  if (late <= 90) return "61–90 days";
  return "Over 90 days";
}

export interface Aging {
  currency: string;
  buckets: Record<Bucket, Big>;
  outstanding: Big;
  overdue: Big;
  overdueCount: number;
}

function emptyBuckets(): Record<Bucket, Big> {
  return Object.fromEntries(BUCKETS.map((b) => [b, new Big(0)])) as Record<Bucket, Big>;
}

/** Outstanding (AUTHORISED, amount due > 0) invoices of one type, aged by due date, per currency. */
export function agedBy(invoices: Invoice[], type: "ACCREC" | "ACCPAY", on: string = today()): Map<string, Aging> {
  const result = new Map<string, Aging>();
  for (const invoice of invoices) {
    if (invoice.type !== type || invoice.status !== "AUTHORISED") continue;
    const due = toBig(invoice.amount_due);
    if (due.lte(0)) continue;
    const currency = invoice.currency_code ?? "";
    const aging = result.get(currency) ?? { currency, buckets: emptyBuckets(), outstanding: new Big(0), overdue: new Big(0), overdueCount: 0 };
    const bucket = bucketOf(invoice.due_date, on);
    aging.buckets[bucket] = aging.buckets[bucket].plus(due);
    aging.outstanding = aging.outstanding.plus(due);
    if (bucket !== "Not yet due") {
      aging.overdue = aging.overdue.plus(due);
      aging.overdueCount += 1;
    }
    result.set(currency, aging);
  }
  return result;
}

export interface MonthFlow {
  month: string;
  moneyIn: Big;
  moneyOut: Big;
}

/** Paid invoices (money in) and bills (money out) by the month they were fully paid. */
export function cashFlow(paid: Invoice[], currency: string, months = 6, now: Date = new Date()): MonthFlow[] {
  const flows = recentMonths(months, now).map((month) => ({ month, moneyIn: new Big(0), moneyOut: new Big(0) }));
  const byMonth = new Map(flows.map((f) => [f.month, f]));
  for (const invoice of paid) {
    if (invoice.status !== "PAID" || (invoice.currency_code ?? "") !== currency) continue;
    const when = invoice.fully_paid_on_date ?? invoice.date;
    const flow = when ? byMonth.get(monthKey(when)) : undefined;
    if (!flow) continue;
    const amount = toBig(invoice.amount_paid ?? invoice.total);
    if (invoice.type === "ACCREC") flow.moneyIn = flow.moneyIn.plus(amount);
    else if (invoice.type === "ACCPAY") flow.moneyOut = flow.moneyOut.plus(amount);
  }
  return flows;
}
