import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys } from "../api/queries";
import { useCan } from "../auth/SessionContext";
import { Badge, statusLabel } from "../components/Badge";
import { BusyButton } from "../components/Buttons";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { ApprovalActions } from "../components/PaymentActions";
import { RailPanel } from "../components/rails/RailPanel";
import { FactList, Section, type Fact } from "../components/Section";
import { ErrorState, InlineError, PageLoading } from "../components/States";
import { formatDate, formatDateTime } from "../lib/dates";
import { useIntentMutation } from "../lib/idempotency";
import { useTenantId } from "../tenant/useTenant";

// How the money moves: a Xero-only payment records money moved elsewhere (e.g. in the bank's app).
const RAILS: Record<string, string> = {
  xero: "Recorded in Xero (money moved outside the console)",
  solaris_sepa: "SEPA transfer through Solaris",
  okx: "Crypto withdrawal through OKX",
  gocardless: "Direct debit through GoCardless",
  saferpay: "Card payment through a Saferpay payment link",
};

export default function PaymentDetail() {
  const { paymentId = "" } = useParams();
  const tenantId = useTenantId();
  const api = useApi();
  const queryClient = useQueryClient();
  const canPay = useCan("pay");
  const path = { tenantId, paymentId };
  const query = useQuery({
    queryKey: keys.payment(tenantId, paymentId),
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/payments/{paymentId}", { params: { path } })),
  });
  const intent = `reverse:${tenantId}:${paymentId}`;
  const reverse = useIntentMutation(intent, async (headers) => unwrap(await api.POST("/tenants/{tenantId}/payments/{paymentId}/reverse", { params: { path }, headers })), {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["payment", tenantId, paymentId] });
      void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    },
  });
  if (query.isLoading) return <PageLoading label="Loading the payment…" />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const p = query.data;
  const facts = ([
    ["Invoice", p.invoice_id ? <Link to={`/invoices/${p.invoice_id}`} className="link">{p.invoice_number ?? "Open the invoice"}</Link> : "—"],
    ["Date", formatDate(p.date)],
    ["Kind", p.kind === "receive" ? "Receipt (sales invoice)" : "Payment (bill)"],
    ["Method", RAILS[p.rail ?? "xero"] ?? p.rail],
    ["Reference", p.reference || "—"],
    ["Submitted", `${p.submitted_by ?? "—"} · ${formatDateTime(p.submitted_at)}`],
    ["Approved", p.approved_by ? `${p.approved_by} · ${formatDateTime(p.approved_at)}` : null],
    ["Rejected", p.rejected_by ? `${p.rejected_by} · ${formatDateTime(p.rejected_at)}` : null],
    ["Reversed", p.reversed_by ? `${p.reversed_by} · ${formatDateTime(p.reversed_at)}` : null],
    ["Xero payment", p.xero_payment_id ?? "—"],
  ] as Fact[]).filter((fact) => fact[1] !== null);
  return (
    <article>
      <p className="mb-2 text-sm"><Link to="/payments" className="link">← Payments</Link></p>
      <PageHeader title="Payment">
        <Badge status={p.status} />
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title={<Money amount={p.amount} currency={p.currency_code} />} headingClassName="text-2xl font-bold">
          {p.failure?.length ? (
            <ul role="alert" className="mt-2 text-sm text-red-800">
              {p.failure.map((f, i) => (
                <li key={i}>{typeof f.message === "string" ? f.message : typeof f.Message === "string" ? f.Message : JSON.stringify(f)}</li>
              ))}
            </ul>
          ) : null}
          <FactList facts={facts} className="mt-3 grid grid-cols-[6.5rem_1fr] gap-x-3 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]" />
          <div className="mt-4 flex flex-col gap-2">
            <ApprovalActions tenantId={tenantId} payment={p} />
            {canPay && p.status === "recorded" && (
              <BusyButton className="btn-secondary self-start" busy={reverse.isPending} onClick={() => reverse.mutate()}>
                Reverse in Xero
              </BusyButton>
            )}
            <InlineError error={reverse.error} />
          </div>
        </Section>
        <RailPanel tenantId={tenantId} payment={p} />
        <Section title="Audit trail" headingClassName="mb-2 font-semibold">
          <ol className="flex flex-col gap-2 text-sm" data-testid="audit-trail">
            {p.audit.map((entry, index) => (
              <li key={index} className="border-l-2 border-brand-600 pl-3">
                <p className="font-medium">{statusLabel(entry.action)}</p>
                <p className="text-slate-600 [overflow-wrap:anywhere]">{entry.actor} · {formatDateTime(entry.at)}{entry.xero_payment_id ? ` · Xero ${entry.xero_payment_id}` : ""}</p>
              </li>
            ))}
          </ol>
        </Section>
      </div>
    </article>
  );
}
