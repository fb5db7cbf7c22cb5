import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";

type Verification = Schemas["PayeeVerificationOut"];

// What Verification of Payee said, in words a person acts on (README: "Paying by SEPA").
const OUTCOMES: Record<string, { tone: string; title: string; text: string }> = {
  MATCH: { tone: "border-green-300 bg-green-50 text-green-900", title: "Name matches the account", text: "The bank confirmed the account holder's name." },
  CLOSE_MATCH: {
    tone: "border-amber-300 bg-amber-50 text-amber-900",
    title: "Close match: the name differs",
    text: "The bank knows the account under another name. An approver must accept that name before anything is sent.",
  },
  NO_MATCH: { tone: "border-red-300 bg-red-50 text-red-900", title: "Name does not match", text: "The bank says the name does not belong to this account. Nothing is sent." },
  VERIFICATION_NOT_POSSIBLE: {
    tone: "border-amber-300 bg-amber-50 text-amber-900",
    title: "The name could not be verified",
    text: "The payee's bank did not answer. An approver must approve it.",
  },
  VERIFICATION_NOT_SUPPORTED: {
    tone: "border-amber-300 bg-amber-50 text-amber-900",
    title: "The payee's bank does not verify names",
    text: "An approver must approve it.",
  },
};

/** Verification of Payee (Solaris): the result shown before anyone approves. */
export function PayeeVerification({ verification, accepted }: { verification: Verification; accepted?: string | null }) {
  const outcome = OUTCOMES[verification.status] ?? { tone: "border-slate-300 bg-slate-50 text-slate-900", title: verification.status, text: "" };
  return (
    <section aria-label="Verification of Payee" className={`rounded-lg border p-3 text-sm ${outcome.tone}`} data-testid="payee-verification">
      <p className="font-semibold">Verification of Payee: {outcome.title}</p>
      {outcome.text && <p className="mt-1">{outcome.text}</p>}
      <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt>Name sent</dt>
        <dd className="font-medium [overflow-wrap:anywhere]">{verification.name}</dd>
        {verification.suggested_name && (
          <>
            <dt>Bank's name</dt>
            <dd className="font-medium [overflow-wrap:anywhere]" data-testid="suggested-name">{verification.suggested_name}</dd>
          </>
        )}
        {accepted && (
          <>
            <dt>Accepted name</dt>
            <dd className="font-medium [overflow-wrap:anywhere]">{accepted}</dd>
          </>
        )}
        {verification.verified_at && (
          <>
            <dt>Verified</dt>
            <dd>{formatDateTime(verification.verified_at)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
