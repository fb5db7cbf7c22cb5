import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys } from "../api/queries";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { ApprovalActions } from "../components/PaymentActions";
import { EmptyState, ErrorState, PageLoading } from "../components/States";
import { formatDate, formatDateTime } from "../lib/dates";
import { useTenantId } from "../tenant/useTenant";

export default function Approvals() {
  const tenantId = useTenantId();
  const api = useApi();
  const query = useQuery({
    queryKey: keys.payments(tenantId, { status: "pending_approval" }),
    queryFn: async () =>
      unwrap(await api.GET("/tenants/{tenantId}/payments", { params: { path: { tenantId }, query: { status: "pending_approval", page_size: 100 } } })),
  });
  const pending = query.data?.payments ?? [];
  return (
    <section>
      <PageHeader title="Approvals" />
      <p className="mb-4 text-sm text-slate-700">Payments above the approval threshold wait here until a second person approves or rejects them.</p>
      {query.isLoading ? (
        <PageLoading label="Loading payments awaiting approval…" />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : pending.length === 0 ? (
        <EmptyState title="Nothing is waiting for approval" />
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Payments awaiting approval">
          {pending.map((payment) => (
            <li key={payment.payment_id} className="card flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between" aria-label={`Payment of ${payment.amount} for ${payment.invoice_number ?? "an invoice"}`}>
              <div className="text-sm">
                <p className="text-lg font-semibold">
                  <Money amount={payment.amount} currency={payment.currency_code} />
                </p>
                <p>
                  {payment.kind === "receive" ? "Receipt for" : "Payment of"}{" "}
                  <Link to={`/invoices/${payment.invoice_id}`} className="link">{payment.invoice_number ?? "the invoice"}</Link> on {formatDate(payment.date)}
                </p>
                <p className="text-slate-600">
                  Submitted by {payment.submitted_by} · {formatDateTime(payment.submitted_at)} ·{" "}
                  <Link to={`/payments/${payment.payment_id}`} className="link">audit trail</Link>
                </p>
              </div>
              <div className="sm:max-w-xs">
                <ApprovalActions tenantId={tenantId} payment={payment} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
