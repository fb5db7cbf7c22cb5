import { useQueries } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys, type Connection, type Payment } from "../api/queries";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { ApprovalActions } from "../components/PaymentActions";
import { CryptoQuote } from "../components/rails/CryptoQuote";
import { PayeeVerification } from "../components/rails/PayeeVerification";
import { TanConfirm } from "../components/rails/TanConfirm";
import { EmptyState, ErrorState, PageLoading } from "../components/States";
import { formatDate, formatDateTime } from "../lib/dates";
import { useTenants } from "../tenant/TenantContext";

function PendingPayment({ connection, payment }: { connection: Connection; payment: Payment }) {
  const awaitingTan = payment.status === "awaiting_confirmation";
  const { current, select } = useTenants();
  const here = current?.tenant_id === connection.tenant_id;
  // Links open the payment's organisation: make it the current one first.
  const open = () => (here ? undefined : select(connection.tenant_id));
  return (
    <li className="card flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between" aria-label={`Payment of ${payment.amount} ${payment.currency_code ?? ""} for ${payment.invoice_number ?? "an invoice"}`}>
      <div className="text-sm">
        <p className="text-lg font-semibold">
          <Money amount={payment.amount} currency={payment.currency_code} />
        </p>
        <p>
          {payment.kind === "receive" ? "Receipt for" : "Payment of"}{" "}
          <Link to={`/invoices/${payment.invoice_id}`} onClick={open} className="link">
            {payment.invoice_number ?? "the invoice"}
          </Link>{" "}
          on {formatDate(payment.date)}
        </p>
        <p className="text-slate-600">
          Submitted by {payment.submitted_by} · {formatDateTime(payment.submitted_at)} ·{" "}
          <Link to={`/payments/${payment.payment_id}`} onClick={open} className="link">
            audit trail
          </Link>
        </p>
        {payment.payee && (
          <p className="text-slate-700 [overflow-wrap:anywhere]">
            To {payment.payee.name} · {payment.payee.iban}
          </p>
        )}
        {payment.crypto && (
          <div className="mt-2">
            <CryptoQuote crypto={payment.crypto} />
          </div>
        )}
        {payment.payee_verification && (
          <div className="mt-2">
            <PayeeVerification verification={payment.payee_verification} accepted={payment.accepted_payee_name} />
          </div>
        )}
      </div>
      <div className="sm:max-w-xs">
        {awaitingTan ? <TanConfirm tenantId={connection.tenant_id} payment={payment} /> : <ApprovalActions tenantId={connection.tenant_id} payment={payment} />}
      </div>
    </li>
  );
}

const WAITING = ["pending_approval", "awaiting_confirmation"] as const;

/** Every organisation's payments awaiting approval (or a TAN), in one inbox. */
export default function Approvals() {
  const api = useApi();
  const { connections } = useTenants();
  const active = connections.filter((c) => c.status === "active");
  // What waits for a second person: an approval, or a SEPA transfer's TAN.
  const pending = useQueries({
    queries: active.map((c) => ({
      queryKey: keys.payments(c.tenant_id, { status: WAITING }),
      queryFn: async () => {
        const lists = await Promise.all(
          WAITING.map(async (status) =>
            unwrap(await api.GET("/tenants/{tenantId}/payments", { params: { path: { tenantId: c.tenant_id }, query: { status, page_size: 100 } } })).payments,
          ),
        );
        return lists.flat();
      },
    })),
  });
  const loading = pending.some((q) => q.isLoading);
  const total = pending.reduce((n, q) => n + (q.data?.length ?? 0), 0);
  return (
    <section>
      <PageHeader title="Approvals" />
      <p className="mb-4 text-sm text-slate-700">Payments above the approval threshold wait here until a second person approves or rejects them; SEPA transfers wait here for the TAN Solaris sent.</p>
      {loading ? (
        <PageLoading label="Loading payments awaiting approval…" />
      ) : total === 0 && !pending.some((q) => q.error) ? (
        <EmptyState title="Nothing is waiting for approval" />
      ) : (
        active.map((connection, index) => {
          const query = pending[index]!;
          if (!query.error && !query.data?.length) return null;
          return (
            <section key={connection.tenant_id} className="mb-6" aria-labelledby={`approvals-${connection.tenant_id}`}>
              <h2 id={`approvals-${connection.tenant_id}`} className="mb-2 text-lg font-semibold">
                {connection.tenant_name ?? connection.tenant_id}
              </h2>
              {query.error ? (
                <ErrorState error={query.error} onRetry={() => void query.refetch()} />
              ) : (
                <ul className="flex flex-col gap-3">
                  {query.data!.map((payment) => (
                    <PendingPayment key={payment.payment_id} connection={connection} payment={payment} />
                  ))}
                </ul>
              )}
            </section>
          );
        })
      )}
    </section>
  );
}
