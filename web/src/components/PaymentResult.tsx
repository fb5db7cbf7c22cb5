import { Link } from "react-router-dom";
import type { Schemas } from "../api/client";
import { Badge } from "./Badge";
import { Money } from "./Money";

type Payment = Schemas["PaymentOut"];

export function PaymentOutcome({ payment }: { payment: Payment }) {
  const pending = payment.status === "pending_approval" || payment.status === "awaiting_confirmation";
  return (
    <div role="status" className={`rounded-lg border p-4 ${pending ? "border-amber-300 bg-amber-50" : "border-green-300 bg-green-50"}`}>
      <p className="flex flex-wrap items-center gap-2 font-semibold">
        <Badge status={payment.status} /> <Money amount={payment.amount} currency={payment.currency_code} />
        {payment.invoice_number ? ` · ${payment.invoice_number}` : ""}
      </p>
      <p className="mt-1 text-sm">
        {payment.status === "pending_approval"
          ? "Above the approval threshold: a second person must approve it before it is recorded in Xero."
          : payment.status === "recorded"
            ? "Recorded in Xero."
            : payment.tan_awaited
              ? "Solaris sent a TAN: an approver confirms the transfer with it. It is recorded in Xero once the bank books it."
              : payment.status === "executing"
                ? "Sent to the provider: it is recorded in Xero once the money has moved."
            : `Status: ${payment.status}.`}
      </p>
      <Link to={`/payments/${payment.payment_id}`} className="link mt-2 inline-block text-sm">
        See the payment and its audit trail
      </Link>
    </div>
  );
}
