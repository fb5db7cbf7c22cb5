import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap, type Schemas } from "../api/client";
import { keys } from "../api/queries";
import { BankAccountSelect } from "../components/BankAccountSelect";
import { bindFields, FormFoot, MutationForm, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { PaymentOutcome } from "../components/PaymentResult";
import { ErrorState, PageLoading } from "../components/States";
import { today } from "../lib/dates";
import { useDraft } from "../lib/drafts";
import { useIntentMutation } from "../lib/idempotency";
import { invoiceTitle, isPayable } from "../lib/invoices";
import { compareAmounts, formatMoney, parseAmountInput } from "../lib/money";
import { useTenantId } from "../tenant/useTenant";

type Rail = "xero" | "solaris_sepa";

interface Draft {
  rail: Rail;
  amount: string;
  accountId: string;
  date: string;
  reference: string;
}

const RAIL_CHOICES: [Rail, string, string][] = [
  ["xero", "Record a payment made elsewhere", "The money moved outside the console (e.g. in the bank's app): record it in Xero."],
  ["solaris_sepa", "SEPA transfer through Solaris", "Sent from the Solaris account to the supplier's IBAN in Xero, after Verification of Payee and a TAN; recorded once the bank books it."],
];

export default function PayInvoice() {
  const { invoiceId = "" } = useParams();
  const tenantId = useTenantId();
  const api = useApi();
  const invoice = useQuery({
    queryKey: keys.invoice(tenantId, invoiceId),
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}", { params: { path: { tenantId, id: invoiceId } } })),
  });
  if (invoice.isLoading) return <PageLoading label="Loading the invoice…" />;
  if (invoice.error || !invoice.data) return <ErrorState error={invoice.error} onRetry={() => void invoice.refetch()} />;
  return <PayForm tenantId={tenantId} invoice={invoice.data} />;
}

function PayForm({ tenantId, invoice }: { tenantId: string; invoice: Schemas["Invoice"] }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const draftKey = `pay:${tenantId}:${invoice.invoice_id}`;
  const [draft, setDraft, clearDraft] = useDraft<Draft>(draftKey, { rail: "xero", amount: invoice.amount_due ?? "", accountId: "", date: today(), reference: "" });
  const field = bindFields(draft, setDraft);
  // Paying by SEPA and recording a payment made elsewhere are different intents: own keys.
  const intent = draft.rail === "xero" ? draftKey : `${draftKey}:${draft.rail}`;
  const sepa = draft.rail === "solaris_sepa";
  const canSepa = invoice.type === "ACCPAY" && invoice.currency_code === "EUR";
  const [result, setResult] = useState<Schemas["PaymentOut"] | null>(null);
  const isSale = invoice.type === "ACCREC";
  const amount = parseAmountInput(draft.amount);
  const amountError = useMemo(() => {
    if (!draft.amount) return null;
    if (!amount) return "Enter a positive amount with at most 2 decimals.";
    if (compareAmounts(amount, invoice.amount_due) > 0) return "That is more than the amount due.";
    return null;
  }, [amount, draft.amount, invoice.amount_due]);

  const body = sepa
    ? { invoice_id: invoice.invoice_id, rail: "solaris_sepa" as const, amount: amount!, date: draft.date, reference: draft.reference || undefined }
    : { invoice_id: invoice.invoice_id, account_id: draft.accountId, amount: amount!, date: draft.date, reference: draft.reference || undefined };
  const pay = useIntentMutation(intent, async (headers) => unwrap(await api.POST("/tenants/{tenantId}/payments", { params: { path: { tenantId } }, headers, body })), {
    onSuccess: (payment) => {
      clearDraft();
      setResult(payment);
      void queryClient.invalidateQueries({ queryKey: ["invoices", tenantId] });
      void queryClient.invalidateQueries({ queryKey: keys.invoice(tenantId, invoice.invoice_id) });
      void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    },
  });
  const ready = !!amount && !amountError && (sepa || !!draft.accountId) && !!draft.date;
  const title = isSale ? "Record a receipt" : "Pay a bill";
  return (
    <section>
      <p className="mb-2 text-sm">
        <Link to={`/invoices/${invoice.invoice_id}`} className="link">← {invoiceTitle(invoice)}</Link>
      </p>
      <PageHeader title={title} />
      {result ? (
        <PaymentOutcome payment={result} />
      ) : !isPayable(invoice) ? (
        <ErrorState title="Nothing to pay" error={new Error(`This ${isSale ? "invoice" : "bill"} is ${invoice.status?.toLowerCase()} with nothing due.`)} />
      ) : (
        <MutationForm className="card grid max-w-xl gap-4" aria-label={title} mutation={pay} ready={ready}>
          <p className="text-sm">
            {invoice.contact?.name} · due <Money amount={invoice.amount_due} currency={invoice.currency_code} />
          </p>
          <TextField
            label={`Amount (${invoice.currency_code ?? ""})`}
            inputMode="decimal"
            required
            {...field("amount")}
            error={amountError}
            hint="The amount due, unless you pay part of it."
          />
          {canSepa && (
            <fieldset className="flex flex-col gap-1">
              <legend className="text-sm font-medium text-slate-700">How the money moves</legend>
              {RAIL_CHOICES.map(([value, label, hint]) => (
                <label key={value} className="flex items-start gap-2 text-sm">
                  <input type="radio" name="rail" className="mt-1" value={value} checked={draft.rail === value} onChange={() => setDraft((d) => ({ ...d, rail: value }))} />
                  <span>
                    {label}
                    <span className="block text-xs text-slate-600">{hint}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {!sepa && <BankAccountSelect tenantId={tenantId} value={draft.accountId} onChange={(accountId) => setDraft((d) => ({ ...d, accountId }))} label={isSale ? "Received into" : "Paid from"} />}
          <TextField label="Payment date" type="date" required {...field("date")} />
          <TextField label="Reference (optional)" maxLength={150} {...field("reference")} />
          <FormFoot mutation={pay} ready={ready}>
            {isSale ? "Record receipt" : sepa ? "Pay by SEPA" : "Pay"}
            {amount && !amountError ? ` ${formatMoney(amount, invoice.currency_code)}` : ""}
          </FormFoot>
        </MutationForm>
      )}
    </section>
  );
}
