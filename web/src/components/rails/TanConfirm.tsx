import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { Payment } from "../../api/queries";
import { useSession } from "../../auth/SessionContext";
import { can } from "../../auth/okta";
import { formatDateTime } from "../../lib/dates";
import { BusyButton } from "../Buttons";
import { MutationForm } from "../Field";
import { InlineError } from "../States";

/**
 * The second factor of a SEPA transfer: Solaris sent a TAN, an approver types it in. A wrong
 * TAN is the API's 422 and the payment keeps waiting, so the form stays for another try.
 */
export function TanConfirm({ tenantId, payment }: { tenantId: string; payment: Payment }) {
  const api = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const id = useId();
  const [tan, setTan] = useState("");
  const confirm = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/tenants/{tenantId}/payments/{paymentId}/confirm", { params: { path: { tenantId, paymentId: payment.payment_id } }, body: { tan: tan.trim() } })),
    onSuccess: (updated) => {
      setTan("");
      queryClient.setQueryData(["payment", tenantId, payment.payment_id], (old: object | undefined) => (old ? { ...old, ...updated } : old));
      void queryClient.invalidateQueries({ queryKey: ["payment", tenantId, payment.payment_id] });
      void queryClient.invalidateQueries({ queryKey: ["payments", tenantId] });
    },
  });
  if (!payment.tan_awaited) return null;
  const expires = payment.tan_expires_at ? ` It works until about ${formatDateTime(payment.tan_expires_at)}.` : "";
  if (!can(session, "approve"))
    return (
      <p className="text-sm text-slate-700" data-testid="tan-waiting">
        Solaris sent a TAN: an approver (someone with the payments:approve permission) confirms the transfer with it.{expires}
      </p>
    );
  return (
    <MutationForm className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3" aria-label="Confirm the transfer with the TAN" mutation={confirm} ready={!!tan.trim()}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        TAN from Solaris
      </label>
      <p id={`${id}-hint`} className="text-xs text-slate-700">
        The transfer goes out once you confirm it with the TAN Solaris sent.{expires}
      </p>
      <div className="flex flex-wrap gap-2">
        <input
          id={id}
          className="input max-w-[10rem] tracking-widest"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={12}
          aria-describedby={`${id}-hint`}
          value={tan}
          onChange={(e) => setTan(e.target.value)}
        />
        <BusyButton type="submit" className="btn-primary" busy={confirm.isPending} disabled={!tan.trim()}>
          Confirm transfer
        </BusyButton>
      </div>
      <InlineError error={confirm.error} />
    </MutationForm>
  );
}
