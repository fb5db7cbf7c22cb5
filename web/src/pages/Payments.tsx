import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys, type Payment } from "../api/queries";
import { Badge } from "../components/Badge";
import { BusyButton } from "../components/Buttons";
import { SelectField, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { TableCard } from "../components/Section";
import { EmptyState, InlineError, PageLoading, QueryStates } from "../components/States";
import { formatDate } from "../lib/dates";
import { downloadText, toCsv } from "../lib/csv";
import { useFilterParams } from "../lib/filters";
import { useTenantId } from "../tenant/useTenant";

const STATUSES = ["submitted", "pending_approval", "approved", "rejected", "executing", "awaiting_confirmation", "settled", "recorded", "failed", "cancelled", "reversed"];
const MAX_EXPORT_PAGES = 50;

type CsvColumn = { header: string; value: (p: Payment) => unknown };

/** A column that is one field of the payment, headed by the field's name unless told otherwise. */
const column = (field: keyof Payment, header: string = field): CsvColumn => ({ header, value: (p) => p[field] });

export const CSV_COLUMNS: CsvColumn[] = [
  column("payment_id"),
  column("date"),
  column("kind"),
  column("invoice_number"),
  column("amount"),
  column("currency_code", "currency"),
  column("status"),
  column("rail"),
  column("reference"),
  column("submitted_by"),
  column("approved_by"),
  column("xero_payment_id"),
];

export default function Payments() {
  const tenantId = useTenantId();
  const api = useApi();
  const { params, setFilter, goToPage } = useFilterParams();
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
  const payments = query.data?.payments ?? [];
  return (
    <section>
      <PageHeader title="Payments">
        <BusyButton busy={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
          Export CSV
        </BusyButton>
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
      <QueryStates
        query={query}
        loading={<PageLoading label="Loading payments…" />}
        isEmpty={payments.length === 0}
        empty={<EmptyState title="No payments match">Payments and receipts made from this console or the API appear here.</EmptyState>}
      >
        <TableCard
          caption="Payments, newest first"
          head={
            <>
              <th scope="col" className="hidden sm:table-cell">Date</th>
              <th scope="col">Invoice</th>
              <th scope="col" className="hidden sm:table-cell">Kind</th>
              <th scope="col">Status</th>
              <th scope="col" className="text-right">Amount</th>
            </>
          }
        >
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
        </TableCard>
      </QueryStates>
      <nav aria-label="Pages" className="mt-4 flex justify-between">
        <button type="button" className="btn-secondary" disabled={!page} onClick={() => setFilter("page", "")}>First page</button>
        <button type="button" className="btn-secondary" disabled={!query.data?.next_page} onClick={() => goToPage(query.data?.next_page ?? "")}>
          Next
        </button>
      </nav>
    </section>
  );
}
