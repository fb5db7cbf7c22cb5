import type { Invoice } from "../api/queries";
import { today } from "./dates";
import { toBig } from "./money";

export const TYPE_LABELS: Record<string, string> = { ACCREC: "Sales invoice", ACCPAY: "Bill" };

export function isOverdue(invoice: Invoice, on: string = today()): boolean {
  return (
    invoice.status === "AUTHORISED" && !!invoice.due_date && invoice.due_date < on && toBig(invoice.amount_due).gt(0)
  );
}

export function isPayable(invoice: Invoice): boolean {
  return invoice.status === "AUTHORISED" && toBig(invoice.amount_due).gt(0);
}

export function invoiceTitle(invoice: Invoice): string {
  const kind = TYPE_LABELS[invoice.type ?? ""] ?? "Invoice";
  return `${kind} ${invoice.invoice_number || invoice.reference || ""}`.trim();
}
