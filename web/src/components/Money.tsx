import { formatMoney, type Amount } from "../lib/money";

export function Money({ amount, currency }: { amount: Amount; currency?: string | null }) {
  return <span className="tabular-nums">{formatMoney(amount, currency)}</span>;
}
