import { useEffect, useState } from "react";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { Money } from "../Money";

type Crypto = Schemas["CryptoOut"];

function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
}

/** Ticks once a second while the quote lives; stops when it has expired. */
function useSecondsLeft(expiresAt: string): number {
  const [now, setNow] = useState(() => Date.now());
  const left = secondsLeft(expiresAt, now);
  const live = left > 0;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return left;
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

/** An OKX payment's quote as the approver sees it (the approval is of this quote), and its withdrawal. */
export function CryptoQuote({ crypto }: { crypto: Crypto }) {
  const { quote, address, withdrawal } = crypto;
  const left = useSecondsLeft(quote.expires_at);
  return (
    <section aria-label="Crypto quote" className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="crypto-quote">
      <p className="font-semibold">
        {quote.crypto_amount} {crypto.ccy} on {crypto.chain} for <Money amount={quote.amount} currency={quote.currency} />
      </p>
      <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt>Rate</dt>
        <dd>{quote.price} {quote.pair} (OKX, {formatDateTime(quote.price_at)})</dd>
        <dt>Network fee</dt>
        <dd>
          {quote.fee} {quote.fee_ccy} (<Money amount={quote.fee_in_currency} currency={quote.currency} />)
        </dd>
        <dt>Total debit</dt>
        <dd>{quote.total_debit} {crypto.ccy}</dd>
        <dt>To</dt>
        <dd className="font-mono text-xs [overflow-wrap:anywhere]">
          {address.address}
          {address.tag ? ` · tag ${address.tag}` : ""}
        </dd>
        <dt>Address approved</dt>
        <dd>{address.approved_by ? `by ${address.approved_by} (added by ${address.added_by})` : "not yet"}</dd>
      </dl>
      {!withdrawal && (
        <p className={`mt-2 font-medium ${left > 0 ? "text-slate-800" : "text-amber-900"}`} data-testid="quote-expiry">
          {left > 0 ? (
            <>
              Quote valid for <span role="timer" aria-label={`${left} seconds`}>{clock(left)}</span>
            </>
          ) : (
            "This quote has expired: approving asks OKX for a new one to approve."
          )}
        </p>
      )}
      {withdrawal && (
        <p className="mt-2" data-testid="withdrawal">
          Withdrawal {withdrawal.wd_id}: {withdrawal.state_label}
          {withdrawal.manual_review ? " (OKX is reviewing it by hand)" : ""}
          {withdrawal.tx_id ? <span className="block font-mono text-xs [overflow-wrap:anywhere]">tx {withdrawal.tx_id}</span> : null}
        </p>
      )}
    </section>
  );
}
