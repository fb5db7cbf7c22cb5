import type { Payment } from "../../api/queries";
import { statusLabel } from "../Badge";
import { formatDate } from "../../lib/dates";
import { FactList, Section, type Fact } from "../Section";
import { CryptoQuote } from "./CryptoQuote";
import { PayeeVerification } from "./PayeeVerification";
import { TanConfirm } from "./TanConfirm";

/** How a money-moving payment stands at its provider: status, reference, payee, second factor. */
export function RailPanel({ tenantId, payment }: { tenantId: string; payment: Payment }) {
  if (!payment.rail || payment.rail === "xero") return null;
  const facts: Fact[] = [
    ["Provider status", payment.rail_status ? statusLabel(payment.rail_status) : "—"],
    ["Provider reference", payment.rail_reference ?? "—"],
  ];
  if (payment.payee) facts.push(["Payee", payment.payee.name], ["IBAN", payment.payee.iban]);
  if (payment.settled_on) facts.push(["Booked on", formatDate(payment.settled_on)]);
  return (
    <Section title="At the provider" className="card flex flex-col gap-3">
      <FactList facts={facts} className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm" testId="rail-facts" />
      {payment.payee_verification && <PayeeVerification verification={payment.payee_verification} accepted={payment.accepted_payee_name} />}
      {payment.crypto && <CryptoQuote crypto={payment.crypto} />}
      <TanConfirm tenantId={tenantId} payment={payment} />
    </Section>
  );
}
