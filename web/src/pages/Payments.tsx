import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys, type Payment } from "../api/queries";
import { Badge } from "../components/Badge";
import { SelectField, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { EmptyState, ErrorState, InlineError, PageLoading, Spinner } from "../components/States";
import { formatDate } from "../lib/dates";
import { downloadText, toCsv } from "../lib/csv";
import { useTenantId } from "../tenant/useTenant";

const STATUSES = ["submitted", "pending_approval", "approved", "rejected", "executing", "awaiting_confirmation", "settled", "recorded", "failed", "cancelled", "reversed"];
const MAX_EXPORT_PAGES = 50;

export const CSV_COLUMNS: { header: string; value: (p: Payment) => unknown }[] = [
  { header: "payment_id", value: (p) => p.payment_id },
  { header: "date", value: (p) => p.date },
  { header: "kind", value: (p) => p.kind },
  { header: "invoice_number", value: (p) => p.invoice_number },
  { header: "amount", value: (p) => p.amount },
  { header: "currency", value: (p) => p.currency_code },
  { header: "status", value: (p) => p.status },
  { header: "rail", value: (p) => p.rail },
  { header: "reference", value: (p) => p.reference },
  { header: "submitted_by", value: (p) => p.submitted_by },
  { header: "approved_by", value: (p) => p.approved_by },
  { header: "xero_payment_id", value: (p) => p.xero_payment_id },
];

export default function Payments() {
  const tenantId = useTenantId();
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const dateFrom = params.get("date_from") ?? "";
  const dateTo = params.get("date_to") ?? "";
  const page = params.get("page") ?? undefined;
  const filters = { status: status || undefined, date_from: dateFrom || undefined, date_to: dateTo || undefined };
  const query = useQuery({
    queryKey: keys.payments(tenantId, { ...filters, page }),
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/payments", { params: { path: { tenantId }, query: { ...filters, page, page_size: 50 } } })),
  });
  const exportCsv = useMutation({
    mutationFn: async () => {
      const rows: Payment[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < MAX_EXPORT_PAGES; n += 1) {
        const answer = unwrap(await api.GET("/tenants/{tenantId}/payments", { params: { path: { tenantId }, query: { ...filters, page: cursor, page_size: 100 } } }));
        rows.push(...answer.payments);
        if (!answer.next_page) break;
        cursor = answer.next_page;
      }
      downloadText(`payments-${tenantId}.csv`, toCsv(rows, CSV_COLUMNS));
    },
  });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("page");
    setParams(next, { replace: true });
  };
  const payments = query.data?.payments ?? [];
  return (
    <section>
      <PageHeader title="Payments">
        <button type="button" className="btn-secondary" disabled={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
          {exportCsv.isPending && <Spinner />} Export CSV
        </button>
      </PageHeader>
      <InlineError error={exportCsv.error} />
      <form role="search" aria-label="Filter payments" className="card mb-4 grid gap-3 sm:grid-cols-3" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Status" value={status} onChange={(e) => setFilter("status", e.target.value)}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>{s.replace(/_/g, " ")}</option>
          ))}
        </SelectField>
        <TextField label="From date" type="date" value={dateFrom} onChange={(e) => setFilter("date_from", e.target.value)} />
        <TextField label="To date" type="date" value={dateTo} onChange={(e) => setFilter("date_to", e.target.value)} />
      </form>
      {query.isLoading ? (
        <PageLoading label="Loading payments…" />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : payments.length === 0 ? (
        <EmptyState title="No payments match">Payments and receipts made from this console or the API appear here.</EmptyState>
      ) : (
        <div className="card overflow-x-auto p-0">
          <table className="table-base">
            <caption className="sr-only">Payments, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="hidden sm:table-cell">Date</th>
                <th scope="col">Invoice</th>
                <th scope="col" className="hidden sm:table-cell">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" className="text-right">Amount</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.payment_id}>
                  <td className="hidden whitespace-nowrap sm:table-cell">{formatDate(p.date)}</td>
                  <td>
                    {p.invoice_id ? <Link to={`/invoices/${p.invoice_id}`} className="link whitespace-nowrap">{p.invoice_number ?? "invoice"}</Link> : p.invoice_number}
                    <span className="block text-xs text-slate-600 sm:hidden">{formatDate(p.date)}</span>
                  </td>
                  <td className="hidden sm:table-cell">{p.kind === "receive" ? "Receipt" : "Payment"}</td>
                  <td><Badge status={p.status} /></td>
                  <td className="whitespace-nowrap text-right">
                    <Link to={`/payments/${p.payment_id}`} className="link" aria-label={`${p.amount} ${p.currency_code ?? ""}: the payment and its audit trail`}>
                      <Money amount={p.amount} currency={p.currency_code} />
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between">
        <button type="button" className="btn-secondary" disabled={!page} onClick={() => setFilter("page", "")}>First page</button>
        <button type="button" className="btn-secondary" disabled={!query.data?.next_page} onClick={() => { const next = new URLSearchParams(params); next.set("page", query.data?.next_page ?? ""); setParams(next); }}>
          Next
        </button>
      </nav>
    </section>
  );
}
