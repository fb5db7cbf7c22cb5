import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/ApiContext";
import { unwrap, unwrapOrNull, type Schemas } from "../../api/client";
import type { Invoice } from "../../api/queries";
import { useCan } from "../../auth/SessionContext";
import { formatDateTime } from "../../lib/dates";
import { useIntentMutation } from "../../lib/idempotency";
import { isPayable } from "../../lib/invoices";
import { Badge } from "../Badge";
import { BusyButton } from "../Buttons";
import { MutationForm } from "../Field";
import { Money } from "../Money";
import { Section } from "../Section";
import { InlineError, RecordStates } from "../States";
import { CopyField } from "./CopyField";

const LIVE = ["open", "pending"];

function LinkStatus({ link, live }: { link: Schemas["PaymentLinkOut"]; live: boolean }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="payment-link">
      <p className="flex flex-wrap items-center gap-2">
        <Badge status={link.status} /> <Money amount={link.amount} currency={link.currency_code} />
        {link.recorded_in_xero && <span className="text-green-800">· recorded in Xero</span>}
      </p>
      {link.reason && <p role="alert" className="text-red-800">{link.reason.message}</p>}
      {live && link.redirect_url && <CopyField label="Link for the customer" value={link.redirect_url} />}
      {live && link.expires_at && <p className="text-slate-600">The page works until {formatDateTime(link.expires_at)}.</p>}
      <Link to={`/payments/${link.payment_id}`} className="link self-start">The card payment and its audit trail</Link>
    </div>
  );
}

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
    queryFn: async () => unwrapOrNull(await api.GET("/tenants/{tenantId}/invoices/{id}/payment_link", { params: { path } })), // null: no link yet
  });
  const intent = `link:${tenantId}:${invoice.invoice_id}`;
  const create = useIntentMutation(intent, async (headers) => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/payment_link", { params: { path }, headers, body: { note_on_invoice: note } })), {
    onSuccess: (created) => {
      queryClient.setQueryData(queryKey, created);
      if (note) void queryClient.invalidateQueries({ queryKey: ["history", tenantId, invoice.invoice_id] });
    },
  });
  const current = link.data;
  const live = !!current && LIVE.includes(current.status);
  return (
    <Section title="Card payment link" className="card flex flex-col gap-3">
      <RecordStates query={link} name="payment link" none={<p className="text-sm text-slate-700">No payment link yet. The customer pays by card on Saferpay's page; the receipt is recorded in Xero once the money is captured.</p>}>
        {(found) => <LinkStatus link={found} live={live} />}
      </RecordStates>
      {canPay && !live && isPayable(invoice) && (
        <MutationForm className="flex flex-col gap-2" mutation={create}>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={note} onChange={(e) => setNote(e.target.checked)} />
            <span>Also note the link in the invoice's history in Xero</span>
          </label>
          <BusyButton type="submit" className="btn-primary self-start" busy={create.isPending}>
            Create a payment link for <Money amount={invoice.amount_due} currency={invoice.currency_code} />
          </BusyButton>
          <InlineError error={create.error} />
        </MutationForm>
      )}
    </Section>
  );
}
