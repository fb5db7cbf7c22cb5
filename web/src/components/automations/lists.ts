/** "payment.*, invoice.created" → ["payment.*", "invoice.created"]: a person types a list. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}
