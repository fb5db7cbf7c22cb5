import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../api/ApiContext";
import { ApiError, unwrap } from "../api/client";
import type { Payment } from "../api/queries";
import { useSession } from "../auth/SessionContext";
import { can } from "../auth/okta";
import { finishIntent, useIntentMutation, type IntentHeaders } from "../lib/idempotency";
import { BusyButton, WithCancel } from "./Buttons";
import { MutationForm } from "./Field";
import { InlineError } from "./States";

type ApproveBody = { accepted_payee_name?: string; quote_id?: string };

/** What an approval says it saw: the accepted payee name (CLOSE_MATCH), the crypto quote. */
function approvalBody(payment: Payment, acceptedName: string | null | undefined): ApproveBody | undefined {
  const body: ApproveBody = {};
  if (acceptedName) body.accepted_payee_name = acceptedName;
  if (payment.crypto?.quote) body.quote_id = payment.crypto.quote.quote_id;
  return Object.keys(body).length ? body : undefined;
}

/** Approve or reject a pending payment; the submitter is told why they cannot approve. */
export function ApprovalActions({ tenantId, payment }: { tenantId: string; payment: Payment }) {
  const api = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [acceptName, setAcceptName] = useState(false);
  // A CLOSE_MATCH is paid under the bank's name only when the approver accepts it, as shown.
  const suggested = payment.payee_verification?.status === "CLOSE_MATCH" ? payment.payee_verification.suggested_name : null;
  const path = { tenantId, paymentId: payment.payment_id };
  const intent = `approve:${tenantId}:${payment.payment_id}`;
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    void queryClient.invalidateQueries({ queryKey: ["payment", tenantId, payment.payment_id] });
    void queryClient.invalidateQueries({ queryKey: ["invoices", tenantId] });
  };
  const send = async (headers: IntentHeaders) =>
    unwrap(await api.POST("/tenants/{tenantId}/payments/{paymentId}/approve", { params: { path }, headers, body: approvalBody(payment, suggested) }));
  const approve = useIntentMutation(intent, send, {
    onSuccess: done,
    // An expired quote comes back with a new one on the payment: show it to approve. Approving
    // that one is a new intent (another body), so it gets its own Idempotency-Key.
    onError: (error) => {
      if (error instanceof ApiError && error.code === "quote_expired") {
        finishIntent(intent);
        done();
      }
    },
  });
  const reject = useMutation({
    mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/payments/{paymentId}/reject", { params: { path }, body: { reason } })),
    onSuccess: done,
  });
  if (payment.status !== "pending_approval") return null;
  const ownPayment = !!session && payment.submitted_by === session.sub;
  if (ownPayment)
    return (
      <p className="text-sm text-slate-700" data-testid="own-payment">
        You submitted this payment. Payments above the threshold need a second person: someone else must approve it.
      </p>
    );
  if (!can(session, "approve"))
    return <p className="text-sm text-slate-700">Waiting for an approver (someone with the payments:approve permission).</p>;
  const busy = approve.isPending || reject.isPending;
  return (
    <div className="flex flex-col gap-2">
      {suggested && (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-1" checked={acceptName} onChange={(e) => setAcceptName(e.target.checked)} />
          <span>
            Pay under the bank's name <strong>{suggested}</strong>
          </span>
        </label>
      )}
      <div className="flex flex-wrap gap-2">
        <BusyButton className="btn-primary" busy={approve.isPending} disabled={busy || (!!suggested && !acceptName)} onClick={() => approve.mutate()}>
          Approve
        </BusyButton>
        {!rejecting && (
          <button type="button" className="btn-secondary" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        )}
      </div>
      {rejecting && (
        <MutationForm className="flex flex-col gap-2" mutation={reject} ready={!!reason.trim()}>
          <label htmlFor={`reason-${payment.payment_id}`} className="text-sm font-medium">
            Why is it rejected?
          </label>
          <textarea id={`reason-${payment.payment_id}`} required className="input" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          <WithCancel onCancel={() => setRejecting(false)}>
            <BusyButton type="submit" className="btn-danger" busy={reject.isPending} disabled={!reason.trim() || busy}>
              Reject payment
            </BusyButton>
          </WithCancel>
        </MutationForm>
      )}
      <InlineError error={approve.error ?? reject.error} />
    </div>
  );
}
