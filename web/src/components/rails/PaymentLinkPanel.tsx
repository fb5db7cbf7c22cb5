import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/ApiContext";
import { ApiError, unwrap } from "../../api/client";
import type { Invoice } from "../../api/queries";
import { useCan } from "../../auth/SessionContext";
import { formatDateTime } from "../../lib/dates";
import { finishIntent, intentKey } from "../../lib/idempotency";
import { isPayable } from "../../lib/invoices";
import { Badge } from "../Badge";
import { Money } from "../Money";
import { ErrorState, InlineError, Spinner } from "../States";
import { CopyField } from "./CopyField";

const LIVE = ["open", "pending"];

/** A sales invoice's card payment link (Saferpay): its status, the link to copy, a new one. */
export function PaymentLinkPanel({ tenantId, invoice }: { tenantId: string; invoice: Invoice }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const canPay = useCan("pay");
  const [note, setNote] = useState(false);
  const path = { tenantId, id: invoice.invoice_id };
  const queryKey = ["payment-link", tenantId, invoice.invoice_id];
  const link = useQuery({
    queryKey,
    queryFn: async () => {
      try {
        return unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}/payment_link", { params: { path } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null; // no link yet
        throw error;
      }
    },
  });
  const intent = `link:${tenantId}:${invoice.invoice_id}`;
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tenants/{tenantId}/invoices/{id}/payment_link", {
          params: { path },
          headers: { "Idempotency-Key": intentKey(intent) },
          body: { note_on_invoice: note },
        }),
      ),
    onSuccess: (created) => {
      finishIntent(intent);
      queryClient.setQueryData(queryKey, created);
      if (note) void queryClient.invalidateQueries({ queryKey: ["history", tenantId, invoice.invoice_id] });
    },
  });
  const current = link.data;
  const live = !!current && LIVE.includes(current.status);
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="link-title">
      <h2 id="link-title" className="font-semibold">Card payment link</h2>
      {link.isLoading ? (
        <p role="status" className="text-sm text-slate-600"><Spinner /> Loading the payment link…</p>
      ) : link.error ? (
        <ErrorState error={link.error} onRetry={() => void link.refetch()} title="The payment link could not be loaded" />
      ) : current ? (
        <div className="flex flex-col gap-2 text-sm" data-testid="payment-link">
          <p className="flex flex-wrap items-center gap-2">
            <Badge status={current.status} /> <Money amount={current.amount} currency={current.currency_code} />
            {current.recorded_in_xero && <span className="text-green-800">· recorded in Xero</span>}
          </p>
          {current.reason && <p role="alert" className="text-red-800">{current.reason.message}</p>}
          {live && current.redirect_url && <CopyField label="Link for the customer" value={current.redirect_url} />}
          {live && current.expires_at && <p className="text-slate-600">The page works until {formatDateTime(current.expires_at)}.</p>}
          <Link to={`/payments/${current.payment_id}`} className="link self-start">The card payment and its audit trail</Link>
        </div>
      ) : (
        <p className="text-sm text-slate-700">No payment link yet. The customer pays by card on Saferpay's page; the receipt is recorded in Xero once the money is captured.</p>
      )}
      {canPay && !live && isPayable(invoice) && (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!create.isPending) create.mutate();
          }}
        >
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={note} onChange={(e) => setNote(e.target.checked)} />
            <span>Also note the link in the invoice's history in Xero</span>
          </label>
          <button type="submit" className="btn-primary self-start" disabled={create.isPending}>
            {create.isPending && <Spinner />} Create a payment link for <Money amount={invoice.amount_due} currency={invoice.currency_code} />
          </button>
          <InlineError error={create.error} />
        </form>
      )}
    </section>
  );
}
