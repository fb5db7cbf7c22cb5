import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/ApiContext";
import { unwrap, unwrapOrNull, type Schemas } from "../../api/client";
import type { Invoice } from "../../api/queries";
import { formatDate } from "../../lib/dates";
import { useIntentMutation } from "../../lib/idempotency";
import { isPayable } from "../../lib/invoices";
import { Badge, statusLabel } from "../Badge";
import { BusyButton } from "../Buttons";
import { Money } from "../Money";
import { Section } from "../Section";
import { InlineError, RecordStates } from "../States";
import { CopyField } from "./CopyField";

// A mandate in one of these can be asked for again (README: "Collecting by direct debit").
const ENDED = ["failed", "cancelled", "expired", "authorisation_expired", "authorisation_cancelled", "consumed", "blocked"];

const DEBIT_CURRENCIES = ["EUR", "GBP"]; // SEPA Core and Bacs

function MandateStatus({ mandate: m, customer, checking, onCheck }: { mandate: Schemas["MandateOut"]; customer: string; checking: boolean; onCheck: () => void }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="mandate">
      <p className="flex flex-wrap items-center gap-2">
        Mandate of {customer}: <Badge status={m.status} />
        <span className="text-slate-600">{m.currency}{m.scheme ? ` · ${statusLabel(m.scheme)}` : ""}</span>
      </p>
      {m.cause && <p className="text-red-800">{m.description ?? statusLabel(m.cause)}</p>}
      {m.collectable && m.next_possible_charge_date && <p className="text-slate-600">Can be charged from {formatDate(m.next_possible_charge_date)}.</p>}
      {m.status === "awaiting_authorisation" && m.authorisation_url && (
        <>
          <CopyField label="Send the customer this authorisation page" value={m.authorisation_url} />
          <BusyButton className="btn-secondary self-start" busy={checking} onClick={onCheck}>
            Check the mandate again
          </BusyButton>
        </>
      )}
    </div>
  );
}

/** Direct debit (GoCardless) for a sales invoice: the customer's mandate, then a collection. */
export function DirectDebitPanel({ tenantId, invoice }: { tenantId: string; invoice: Invoice }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const contactId = invoice.contact?.contact_id ?? "";
  const customer = invoice.contact?.name ?? "the customer";
  const queryKey = ["mandate", tenantId, contactId];
  const [collection, setCollection] = useState<Schemas["PaymentOut"] | null>(null);
  const mandate = useQuery({
    queryKey,
    enabled: !!contactId && DEBIT_CURRENCIES.includes(invoice.currency_code ?? ""),
    queryFn: async () => unwrapOrNull(await api.GET("/tenants/{tenantId}/contacts/{id}/mandate", { params: { path: { tenantId, id: contactId } } })), // null: never asked
  });
  const ask = useMutation({
    mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/contacts/{id}/mandate", { params: { path: { tenantId, id: contactId } }, body: {} })),
    onSuccess: (answer) => queryClient.setQueryData(queryKey, answer),
  });
  const intent = `collect:${tenantId}:${invoice.invoice_id}`;
  const collect = useIntentMutation(intent, async (headers) => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/collect", { params: { path: { tenantId, id: invoice.invoice_id } }, headers, body: {} })), {
    onSuccess: (payment) => {
      setCollection(payment);
      void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    },
  });
  if (!contactId || !DEBIT_CURRENCIES.includes(invoice.currency_code ?? "")) return null;
  const m = mandate.data;
  const canAsk = !m || ENDED.includes(m.status);
  return (
    <Section title="Direct debit" className="card flex flex-col gap-3">
      <RecordStates query={mandate} name="mandate" none={<p className="text-sm text-slate-700">{customer} has no direct debit mandate yet.</p>}>
        {(found) => <MandateStatus mandate={found} customer={customer} checking={mandate.isFetching} onCheck={() => void mandate.refetch()} />}
      </RecordStates>
      {canAsk && !mandate.isLoading && !mandate.error && (
        <BusyButton className="btn-secondary self-start" busy={ask.isPending} onClick={() => ask.mutate()}>
          Ask {customer} for a mandate
        </BusyButton>
      )}
      <InlineError error={ask.error} />
      {collection ? (
        <div role="status" className="rounded-md border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="collection">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <Badge status={collection.status} /> <Money amount={collection.amount} currency={collection.currency_code} />
            {collection.rail_status && <span className="text-slate-700">GoCardless: {statusLabel(collection.rail_status)}</span>}
          </p>
          <p className="mt-1">
            {collection.status === "pending_approval" ? "Above the approval threshold: a second person must approve it before it is collected." : "Recorded in Xero once GoCardless confirms the money is collected."}
          </p>
          <Link to={`/payments/${collection.payment_id}`} className="link mt-1 inline-block">The collection and its audit trail</Link>
        </div>
      ) : (
        m?.collectable &&
        isPayable(invoice) && (
          <div className="flex flex-col gap-2">
            <BusyButton className="btn-primary self-start" busy={collect.isPending} onClick={() => collect.mutate()}>
              Collect <Money amount={invoice.amount_due} currency={invoice.currency_code} /> by direct debit
            </BusyButton>
            <InlineError error={collect.error} />
          </div>
        )
      )}
    </Section>
  );
}
