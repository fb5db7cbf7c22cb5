/** Money as decimal strings: arithmetic with big.js, never JavaScript floats. */
import Big from "big.js";

export type Amount = string | null | undefined;

export function toBig(amount: Amount): Big {
  if (amount === null || amount === undefined || amount === "") return new Big(0);
  return new Big(amount);
}

export function sum(amounts: Amount[]): Big {
  return amounts.reduce<Big>((total, amount) => total.plus(toBig(amount)), new Big(0));
}

/** "1234.5" → "1,234.50" (with the currency code when given). Formats the string's digits. */
export function formatMoney(amount: Amount | Big, currency?: string | null): string {
  const value = amount instanceof Big ? amount : toBig(amount);
  const fixed = value.abs().toFixed(2);
  const [whole = "0", cents = "00"] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = value.lt(0) ? "-" : "";
  const text = `${sign}${grouped}.${cents}`;
  return currency ? `${currency} ${text}` : text;
}

/** What a person typed, as a canonical 2-decimal string; null when it is not an amount. */
export function parseAmountInput(text: string): string | null {
  const cleaned = text.replace(/[,\s]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const value = new Big(cleaned);
  return value.gt(0) ? value.toFixed(2) : null;
}

/** For charts only: a number of whole units (display, never arithmetic on money). */
export function chartValue(amount: Big): number {
  return Number(amount.round(0).toString());
}

export function compareAmounts(a: Amount, b: Amount): number {
  return toBig(a).cmp(toBig(b));
}
