import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap, type ApiClient } from "../api/client";
import type { Invoice } from "../api/queries";
import { SelectField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { ErrorState, PageLoading } from "../components/States";
import { agedBy, cashFlow, type Aging } from "../lib/aging";
import { recentMonths } from "../lib/dates";
import { formatMoney } from "../lib/money";
import { useTenantId } from "../tenant/useTenant";

// The chart library is its own chunk, loaded after the figures are on screen.
const AgingChart = lazy(() => import("../components/charts").then((m) => ({ default: m.AgingChart })));
const FlowChart = lazy(() => import("../components/charts").then((m) => ({ default: m.FlowChart })));

const MAX_PAGES = 5;
const MONTHS = 6;

async function allInvoices(api: ApiClient, tenantId: string, query: { status: string; date_from?: string }): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const answer = unwrap(await api.GET("/tenants/{tenantId}/invoices", { params: { path: { tenantId }, query: { ...query, page, page_size: 1000 } } }));
    invoices.push(...answer.invoices);
    if (!answer.next_page) break;
  }
  return invoices;
}

/** The organisation's own currency, as far as its invoices tell: most sales invoices are in it. */
function homeCurrency(invoices: Invoice[]): string | undefined {
  const counts = new Map<string, number>();
  for (const invoice of invoices) {
    if (!invoice.currency_code) continue;
    const weight = invoice.type === "ACCREC" ? 1000 : 1; // sales first, bills break ties
    counts.set(invoice.currency_code, (counts.get(invoice.currency_code) ?? 0) + weight);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function Figure({ label, value, tone = "slate", to }: { label: string; value: string; tone?: "slate" | "red"; to?: string }) {
  const body = (
    <>
      <p className="text-sm text-slate-600">{label}</p>
      <p className={`mt-1 whitespace-nowrap text-lg font-bold tabular-nums sm:text-2xl ${tone === "red" ? "text-red-700" : "text-slate-900"}`}>{value}</p>
    </>
  );
  return to ? (
    <Link to={to} className="card block hover:border-brand-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">{body}</Link>
  ) : (
    <div className="card">{body}</div>
  );
}

function AgingCard({ title, aging, type }: { title: string; aging: Aging | undefined; type: "ACCREC" | "ACCPAY" }) {
  return (
    <section className="card" aria-labelledby={`${type}-aging`}>
      <h2 id={`${type}-aging`} className="font-semibold">{title}</h2>
      {aging ? (
        <Suspense fallback={<div className="h-56" role="status">Loading chart…</div>}>
          <AgingChart aging={aging} color={type === "ACCREC" ? "#1f5fbf" : "#b45309"} label={title} />
        </Suspense>
      ) : (
        <p className="py-8 text-center text-sm text-slate-600">Nothing outstanding.</p>
      )}
    </section>
  );
}

export default function Dashboard() {
  const tenantId = useTenantId();
  const api = useApi();
  // Paid invoices dated up to a year back: those paid in the last six months, for any usual terms.
  const from = `${recentMonths(MONTHS * 2)[0]}-01`;
  const open = useQuery({ queryKey: ["dashboard", tenantId, "open"], queryFn: () => allInvoices(api, tenantId, { status: "AUTHORISED" }) });
  const paid = useQuery({ queryKey: ["dashboard", tenantId, "paid", from], queryFn: () => allInvoices(api, tenantId, { status: "PAID", date_from: from }) });
  const [chosen, setChosen] = useState<string | null>(null);

  if (open.isLoading) return <PageLoading label="Adding up receivables and payables…" />;
  if (open.error) return <ErrorState error={open.error} onRetry={() => void open.refetch()} />;
  const receivables = agedBy(open.data ?? [], "ACCREC");
  const payables = agedBy(open.data ?? [], "ACCPAY");
  const currencies = [...new Set([...receivables.keys(), ...payables.keys(), ...(paid.data ?? []).map((i) => i.currency_code ?? "")])].filter(Boolean).sort();
  const currency = chosen && currencies.includes(chosen) ? chosen : homeCurrency(open.data ?? []) ?? currencies[0] ?? "";
  const ar = receivables.get(currency);
  const ap = payables.get(currency);
  const flows = cashFlow(paid.data ?? [], currency, MONTHS);
  return (
    <section>
      <PageHeader title="Dashboard">
        {currencies.length > 1 && (
          <SelectField label="Currency" value={currency} onChange={(e) => setChosen(e.target.value)}>
            {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
          </SelectField>
        )}
      </PageHeader>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label="Customers owe" value={formatMoney(ar?.outstanding ?? "0", currency)} to="/invoices?type=ACCREC&status=AUTHORISED" />
        <Figure label={`Overdue receivables (${ar?.overdueCount ?? 0})`} value={formatMoney(ar?.overdue ?? "0", currency)} tone={ar?.overdue.gt(0) ? "red" : "slate"} to="/invoices?type=ACCREC&overdue=true" />
        <Figure label="We owe suppliers" value={formatMoney(ap?.outstanding ?? "0", currency)} to="/invoices?type=ACCPAY&status=AUTHORISED" />
        <Figure label={`Overdue bills (${ap?.overdueCount ?? 0})`} value={formatMoney(ap?.overdue ?? "0", currency)} tone={ap?.overdue.gt(0) ? "red" : "slate"} to="/invoices?type=ACCPAY&overdue=true" />
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <AgingCard title="Aged receivables" aging={ar} type="ACCREC" />
        <AgingCard title="Aged payables" aging={ap} type="ACCPAY" />
      </div>
      <section className="card mt-4" aria-labelledby="flow-title">
        <h2 id="flow-title" className="font-semibold">Money in and out, last {MONTHS} months</h2>
        <p className="text-xs text-slate-600">Invoices and bills fully paid, by the month they were paid ({currency}).</p>
        {paid.isLoading ? (
          <PageLoading label="Loading paid invoices…" />
        ) : paid.error ? (
          <ErrorState error={paid.error} onRetry={() => void paid.refetch()} />
        ) : (
          <Suspense fallback={<div className="h-64" role="status">Loading chart…</div>}>
            <FlowChart flows={flows} currency={currency} />
          </Suspense>
        )}
      </section>
    </section>
  );
}
