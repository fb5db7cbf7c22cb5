import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys } from "../api/queries";
import { useCan } from "../auth/SessionContext";
import { Badge } from "../components/Badge";
import { SelectField, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { TableCard } from "../components/Section";
import { EmptyState, PageLoading, QueryStates, Spinner } from "../components/States";
import { formatDate } from "../lib/dates";
import { useFilterParams } from "../lib/filters";
import { isOverdue, isPayable, TYPE_LABELS } from "../lib/invoices";
import { useTenantId } from "../tenant/useTenant";

const FILTERS = ["type", "status", "contact_id", "search", "overdue", "date_from", "date_to"] as const;
const PAGE_SIZE = 25;

function useContacts(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["contacts", tenantId],
    queryFn: async () =>
      unwrap(await api.GET("/tenants/{tenantId}/contacts", { params: { path: { tenantId }, query: { page_size: 1000 } } }))
        .contacts,
    staleTime: 5 * 60_000,
  });
}

export default function Invoices() {
  const tenantId = useTenantId();
  const api = useApi();
  const navigate = useNavigate();
  const canPay = useCan("pay");
  const canWrite = useCan("write");
  const { params, setFilter: setParam, goToPage } = useFilterParams();
  const filters = useMemo(() => Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ""])), [params]);
  const page = Number(params.get("page") ?? "1") || 1;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const contacts = useContacts(tenantId);

  const query = useQuery({
    queryKey: keys.invoices(tenantId, { ...filters, page }),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET("/tenants/{tenantId}/invoices", {
          params: {
            path: { tenantId },
            query: {
              type: filters.type || undefined,
              status: filters.status || undefined,
              contact_id: filters.contact_id || undefined,
              search: filters.search || undefined,
              overdue: filters.overdue === "true" ? true : undefined,
              date_from: filters.date_from || undefined,
              date_to: filters.date_to || undefined,
              page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
  });

  const setFilter = (name: string, value: string) => {
    setParam(name, value);
    setSelected(new Set());
  };
  const toggle = (id: string) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const invoices = query.data?.invoices ?? [];
  const payableBills = invoices.filter((i) => i.type === "ACCPAY" && isPayable(i));

  return (
    <section>
      <PageHeader title="Invoices & bills">
        {canPay && (
          <button
            type="button"
            className="btn-secondary"
            disabled={selected.size === 0}
            onClick={() => navigate(`/pay/batch?ids=${[...selected].join(",")}`)}
          >
            Pay selected bills ({selected.size})
          </button>
        )}
        {canWrite && (
          <Link to="/invoices/new" className="btn-primary">
            New draft
          </Link>
        )}
      </PageHeader>

      <form role="search" aria-label="Filter invoices and bills" className="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Type" value={filters.type} onChange={(e) => setFilter("type", e.target.value)}>
          <option value="">Invoices and bills</option>
          <option value="ACCREC">Sales invoices</option>
          <option value="ACCPAY">Bills</option>
        </SelectField>
        <SelectField label="Status" value={filters.status} onChange={(e) => setFilter("status", e.target.value)}>
          <option value="">Any status</option>
          <option value="DRAFT">Draft</option>
          <option value="SUBMITTED">Awaiting approval</option>
          <option value="AUTHORISED">Awaiting payment</option>
          <option value="PAID">Paid</option>
          <option value="VOIDED">Voided</option>
        </SelectField>
        <TextField label="Search" type="search" placeholder="Number or reference" defaultValue={filters.search} onBlur={(e) => setFilter("search", e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && setFilter("search", e.currentTarget.value.trim())} />
        <details className="sm:col-span-2 lg:col-span-4" open={!!(filters.contact_id || filters.date_from || filters.date_to || filters.overdue)}>
          <summary className="cursor-pointer text-sm font-medium text-brand-700">More filters: contact, dates, overdue</summary>
          <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField label="Contact" value={filters.contact_id} onChange={(e) => setFilter("contact_id", e.target.value)}>
          <option value="">{contacts.isLoading ? "Loading contacts…" : "Any contact"}</option>
          {(contacts.data ?? []).map((c) => (
            <option key={c.contact_id} value={c.contact_id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label="From date" type="date" value={filters.date_from} onChange={(e) => setFilter("date_from", e.target.value)} />
        <TextField label="To date" type="date" value={filters.date_to} onChange={(e) => setFilter("date_to", e.target.value)} />
        <div className="flex items-end gap-2 pb-2">
          <input id="overdue-only" type="checkbox" className="h-4 w-4" checked={filters.overdue === "true"} onChange={(e) => setFilter("overdue", e.target.checked ? "true" : "")} />
          <label htmlFor="overdue-only" className="text-sm font-medium text-slate-700">
            Overdue only
          </label>
        </div>
          </div>
        </details>
      </form>

      <QueryStates
        query={query}
        loading={<PageLoading label="Loading invoices and bills…" />}
        isEmpty={invoices.length === 0}
        empty={<EmptyState title="No invoices or bills match">Change the filters, or create a draft.</EmptyState>}
      >
        <TableCard
          caption={`Invoices and bills, page ${page}`}
          head={
            <>
              {canPay && <th scope="col"><span className="sr-only">Select for batch payment</span></th>}
              <th scope="col">Number</th>
              <th scope="col" className="hidden sm:table-cell">Contact</th>
              <th scope="col" className="hidden md:table-cell">Type</th>
              <th scope="col" className="hidden sm:table-cell">Due</th>
              <th scope="col" className="hidden sm:table-cell">Status</th>
              <th scope="col" className="text-right">Due amount</th>
            </>
          }
        >
          {invoices.map((invoice) => {
            const number = invoice.invoice_number || invoice.reference || invoice.invoice_id.slice(0, 8);
            const selectable = payableBills.includes(invoice);
            return (
              <tr key={invoice.invoice_id} className="hover:bg-slate-50">
                {canPay && (
                  <td>
                    {selectable && (
                      <input type="checkbox" className="h-4 w-4" aria-label={`Select bill ${number} for batch payment`} checked={selected.has(invoice.invoice_id)} onChange={() => toggle(invoice.invoice_id)} />
                    )}
                  </td>
                )}
                <td>
                  <Link to={`/invoices/${invoice.invoice_id}`} className="link">
                    {number}
                  </Link>
                  {/* At phone width the contact and status sit under the number: the amount stays in view. */}
                  <div className="text-sm text-slate-600 sm:hidden">{invoice.contact?.name ?? "—"}</div>
                  <div className="mt-1 flex flex-wrap gap-1 sm:hidden">
                    <Badge status={invoice.status ?? "unknown"} />
                    {isOverdue(invoice) && <Badge status="overdue" />}
                  </div>
                </td>
                <td className="hidden sm:table-cell">{invoice.contact?.name ?? "—"}</td>
                <td className="hidden md:table-cell">{TYPE_LABELS[invoice.type ?? ""] ?? invoice.type}</td>
                <td className="hidden whitespace-nowrap sm:table-cell">{formatDate(invoice.due_date)}</td>
                <td className="hidden sm:table-cell">
                  <div className="flex flex-wrap gap-1">
                    <Badge status={invoice.status ?? "unknown"} />
                    {isOverdue(invoice) && <Badge status="overdue" />}
                  </div>
                </td>
                <td className="whitespace-nowrap text-right">
                  <Money amount={invoice.amount_due} currency={invoice.currency_code} />
                </td>
              </tr>
            );
          })}
        </TableCard>
      </QueryStates>
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between">
        <button type="button" className="btn-secondary" disabled={page <= 1} onClick={() => goToPage(String(page - 1))}>
          Previous
        </button>
        <span className="text-sm text-slate-600" aria-live="polite">
          Page {page} {query.isFetching && <Spinner />}
        </span>
        <button type="button" className="btn-secondary" disabled={!query.data?.next_page} onClick={() => goToPage(String(query.data?.next_page ?? page + 1))}>
          Next
        </button>
      </nav>
    </section>
  );
}
