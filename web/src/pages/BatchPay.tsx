import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap, type Schemas } from "../api/client";
import { keys } from "../api/queries";
import { Badge } from "../components/Badge";
import { BankAccountSelect } from "../components/BankAccountSelect";
import { bindFields, FormFoot, MutationForm, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { EmptyState, ErrorState, PageLoading } from "../components/States";
import { today } from "../lib/dates";
import { useDraft } from "../lib/drafts";
import { useIntentMutation } from "../lib/idempotency";
import { isPayable } from "../lib/invoices";
import { formatMoney, sum } from "../lib/money";
import { useTenantId } from "../tenant/useTenant";

export default function BatchPay() {
  const tenantId = useTenantId();
  const api = useApi();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const ids = [...new Set((params.get("ids") ?? "").split(",").filter(Boolean))].sort();
  const intent = `batch:${tenantId}:${ids.join(",")}`;
  const [draft, setDraft, clearDraft] = useDraft(intent, { accountId: "", date: today() });
  const field = bindFields(draft, setDraft);
  const [result, setResult] = useState<Schemas["BatchOut"] | null>(null);
  const bills = useQueries({
    queries: ids.map((id) => ({
      queryKey: keys.invoice(tenantId, id),
      queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}", { params: { path: { tenantId, id } } })),
    })),
  });
  const loaded = bills.map((b) => b.data).filter((b): b is Schemas["Invoice"] => !!b && isPayable(b));
  const payments = loaded.map((bill) => ({ invoice_id: bill.invoice_id, account_id: draft.accountId, amount: bill.amount_due ?? "0", date: draft.date }));
  const pay = useIntentMutation(intent, async (headers) => unwrap(await api.POST("/tenants/{tenantId}/payments/batch", { params: { path: { tenantId } }, headers, body: { payments } })), {
    onSuccess: (answer) => {
      clearDraft();
      setResult(answer);
      void queryClient.invalidateQueries({ queryKey: ["invoices", tenantId] });
      void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    },
  });

  if (ids.length === 0)
    return (
      <EmptyState title="No bills selected">
        Select bills on the <Link to="/invoices?type=ACCPAY&status=AUTHORISED" className="link">bills list</Link> to pay them together.
      </EmptyState>
    );
  if (bills.some((b) => b.isLoading)) return <PageLoading label="Loading the selected bills…" />;
  const failed = bills.find((b) => b.error);
  if (failed) return <ErrorState error={failed.error} />;
  const currencies = new Set(loaded.map((b) => b.currency_code));
  return (
    <section>
      <PageHeader title={`Pay ${loaded.length} bills`} />
      {result ? (
        <div role="status" className="card">
          <p className="font-semibold">Batch {result.batch_id.slice(0, 8)}: {Object.entries(result.summary).map(([status, n]) => `${n} ${status.replace(/_/g, " ")}`).join(", ")}</p>
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {result.results.map((item) => (
              <li key={item.index} className="flex flex-wrap items-center gap-2">
                <Badge status={item.status} /> {loaded[item.index]?.invoice_number ?? `#${item.index + 1}`}
                {item.payment && <Link className="link" to={`/payments/${item.payment.payment_id}`}>details</Link>}
                {item.error && <span className="text-red-800">{item.error.message}</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <MutationForm className="card grid max-w-2xl gap-4" aria-label="Pay bills in one batch" mutation={pay}>
          <table className="table-base">
            <caption className="sr-only">Bills in this batch</caption>
            <thead>
              <tr><th scope="col">Bill</th><th scope="col">Supplier</th><th scope="col" className="text-right">Amount</th></tr>
            </thead>
            <tbody>
              {loaded.map((bill) => (
                <tr key={bill.invoice_id}>
                  <td>{bill.invoice_number}</td>
                  <td>{bill.contact?.name}</td>
                  <td className="text-right"><Money amount={bill.amount_due} currency={bill.currency_code} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-sm font-semibold">
            Total: {currencies.size === 1 ? formatMoney(sum(loaded.map((b) => b.amount_due)), [...currencies][0]) : "several currencies"}
          </p>
          <BankAccountSelect tenantId={tenantId} value={draft.accountId} onChange={(accountId) => setDraft((d) => ({ ...d, accountId }))} label="Paid from" />
          <TextField label="Payment date" type="date" required {...field("date")} />
          <FormFoot mutation={pay} ready={!!draft.accountId && loaded.length > 0}>
            Pay {loaded.length} bills
          </FormFoot>
        </MutationForm>
      )}
    </section>
  );
}
