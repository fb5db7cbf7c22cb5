import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys, type Invoice } from "../api/queries";
import { useCan } from "../auth/SessionContext";
import { Attachments } from "../components/Attachments";
import { DirectDebitPanel } from "../components/rails/DirectDebitPanel";
import { PaymentLinkPanel } from "../components/rails/PaymentLinkPanel";
import { Badge } from "../components/Badge";
import { History } from "../components/History";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { ErrorState, InlineError, PageLoading, Spinner } from "../components/States";
import { formatDate } from "../lib/dates";
import { invoiceTitle, isOverdue, isPayable } from "../lib/invoices";
import { toBig } from "../lib/money";
import { useTenantId } from "../tenant/useTenant";

function useInvoice(tenantId: string, id: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.invoice(tenantId, id),
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}", { params: { path: { tenantId, id } } })),
  });
}

function Actions({ invoice }: { invoice: Invoice }) {
  const tenantId = useTenantId();
  const api = useApi();
  const queryClient = useQueryClient();
  const canPay = useCan("pay");
  const canWrite = useCan("write");
  const [notice, setNotice] = useState<string | null>(null);
  const path = { tenantId, id: invoice.invoice_id };
  const refresh = (updated?: Invoice) => {
    if (updated) queryClient.setQueryData(keys.invoice(tenantId, invoice.invoice_id), updated);
    void queryClient.invalidateQueries({ queryKey: ["invoices", tenantId] });
    void queryClient.invalidateQueries({ queryKey: ["history", tenantId, invoice.invoice_id] });
  };
  const authorise = useMutation({
    mutationFn: async () => unwrap(await api.PUT("/tenants/{tenantId}/invoices/{id}", { params: { path }, body: { status: "AUTHORISED" } })),
    onSuccess: (updated) => {
      refresh(updated);
      setNotice("Authorised: it now awaits payment.");
    },
  });
  const voidIt = useMutation({
    mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/void", { params: { path } })),
    onSuccess: (updated) => {
      refresh(updated);
      setNotice("Voided.");
    },
  });
  const email = useMutation({
    mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/email", { params: { path } })),
    onSuccess: () => {
      refresh();
      setNotice(`Xero e-mailed it to ${invoice.contact?.name ?? "the contact"}.`);
    },
  });
  const status = invoice.status ?? "";
  const isSale = invoice.type === "ACCREC";
  const busy = authorise.isPending || voidIt.isPending || email.isPending;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {canPay && isPayable(invoice) && (
          <Link to={`/invoices/${invoice.invoice_id}/pay`} className="btn-primary">
            {isSale ? "Record a receipt" : "Pay this bill"}
          </Link>
        )}
        {canWrite && (status === "DRAFT" || status === "SUBMITTED") && (
          <button type="button" className="btn-primary" disabled={busy} onClick={() => authorise.mutate()}>
            {authorise.isPending && <Spinner />} Authorise
          </button>
        )}
        {canWrite && isSale && status === "AUTHORISED" && (
          <button type="button" className="btn-secondary" disabled={busy} onClick={() => email.mutate()}>
            {email.isPending && <Spinner />} E-mail to customer
          </button>
        )}
        {canWrite && ["DRAFT", "SUBMITTED", "AUTHORISED"].includes(status) && toBig(invoice.amount_paid).eq(0) && (
          <button type="button" className="btn-secondary" disabled={busy} onClick={() => voidIt.mutate()}>
            {voidIt.isPending && <Spinner />} Void
          </button>
        )}
      </div>
      {notice && (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">
          {notice}
        </p>
      )}
      <InlineError error={authorise.error ?? voidIt.error ?? email.error} />
    </div>
  );
}

export default function InvoiceDetail() {
  const { invoiceId = "" } = useParams();
  const tenantId = useTenantId();
  const query = useInvoice(tenantId, invoiceId);
  const canSeePayments = useCan("seePayments");
  const canPay = useCan("pay");
  if (query.isLoading) return <PageLoading label="Loading the invoice…" />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const invoice = query.data;
  const currency = invoice.currency_code;
  const collects = invoice.type === "ACCREC" && canSeePayments;
  return (
    <article>
      <p className="mb-2 text-sm">
        <Link to="/invoices" className="link">
          ← Invoices & bills
        </Link>
      </p>
      <PageHeader title={invoiceTitle(invoice)}>
        <Badge status={invoice.status ?? "unknown"} />
        {isOverdue(invoice) && <Badge status="overdue" />}
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="card lg:col-span-2">
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-600">{invoice.type === "ACCPAY" ? "Supplier" : "Customer"}</dt>
              <dd className="font-medium">{invoice.contact?.name ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Date</dt>
              <dd className="font-medium">{formatDate(invoice.date)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Due</dt>
              <dd className="font-medium">{formatDate(invoice.due_date)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Reference</dt>
              <dd className="font-medium">{invoice.reference || "—"}</dd>
            </div>
          </dl>
          <div className="mt-4 overflow-x-auto">
            <table className="table-base">
              <caption className="sr-only">Lines</caption>
              <thead>
                <tr>
                  <th scope="col">Description</th>
                  <th scope="col" className="text-right">Qty</th>
                  <th scope="col" className="text-right">Unit price</th>
                  <th scope="col" className="text-right">Amount</th>
                </tr>
              </thead>
              <tbody>
                {(invoice.line_items ?? []).map((line, index) => (
                  <tr key={line.line_item_id ?? index}>
                    <td>{line.description || line.item_code || "—"}</td>
                    <td className="text-right tabular-nums">{line.quantity}</td>
                    <td className="text-right tabular-nums">{line.unit_amount}</td>
                    <td className="text-right">
                      <Money amount={line.line_amount} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl className="ml-auto mt-4 grid max-w-xs grid-cols-2 gap-1 text-sm">
            <dt className="text-slate-600">Subtotal</dt>
            <dd className="text-right"><Money amount={invoice.sub_total} currency={currency} /></dd>
            <dt className="text-slate-600">Tax</dt>
            <dd className="text-right"><Money amount={invoice.total_tax} currency={currency} /></dd>
            <dt className="font-semibold">Total</dt>
            <dd className="text-right font-semibold"><Money amount={invoice.total} currency={currency} /></dd>
            <dt className="text-slate-600">Paid</dt>
            <dd className="text-right"><Money amount={invoice.amount_paid} currency={currency} /></dd>
            <dt className="font-semibold">Amount due</dt>
            <dd className="text-right font-semibold" data-testid="amount-due"><Money amount={invoice.amount_due} currency={currency} /></dd>
          </dl>
        </div>
        <div className="flex flex-col gap-4">
          <section className="card" aria-labelledby="actions-title">
            <h2 id="actions-title" className="mb-2 font-semibold">Actions</h2>
            <Actions invoice={invoice} />
          </section>
          {collects && <PaymentLinkPanel tenantId={tenantId} invoice={invoice} />}
          {collects && canPay && <DirectDebitPanel tenantId={tenantId} invoice={invoice} />}
          <Attachments tenantId={tenantId} invoiceId={invoice.invoice_id} />
        </div>
      </div>
      <History tenantId={tenantId} invoiceId={invoice.invoice_id} />
    </article>
  );
}
