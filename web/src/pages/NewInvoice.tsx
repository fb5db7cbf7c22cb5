import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { bindFields, SelectField, SubmitForm, TextField } from "../components/Field";
import { PageHeader } from "../components/Layout";
import { Money } from "../components/Money";
import { today } from "../lib/dates";
import { useDraft } from "../lib/drafts";
import { useIntentMutation } from "../lib/idempotency";
import { sum, toBig } from "../lib/money";
import { useTenantId } from "../tenant/useTenant";

interface Line {
  description: string;
  quantity: string;
  unitAmount: string;
  accountCode: string;
}
interface Draft {
  type: "ACCREC" | "ACCPAY";
  contactId: string;
  date: string;
  dueDate: string;
  number: string;
  reference: string;
  lines: Line[];
}

const EMPTY_LINE: Line = { description: "", quantity: "1", unitAmount: "", accountCode: "" };
const DECIMAL = /^\d+(\.\d{1,4})?$/;

function lineAmount(line: Line) {
  return DECIMAL.test(line.quantity) && DECIMAL.test(line.unitAmount) ? toBig(line.quantity).times(toBig(line.unitAmount)).round(2) : toBig("0");
}

export default function NewInvoice() {
  const tenantId = useTenantId();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const intent = `invoice:${tenantId}`;
  const [draft, setDraft, clearDraft] = useDraft<Draft>(intent, { type: "ACCPAY", contactId: "", date: today(), dueDate: "", number: "", reference: "", lines: [EMPTY_LINE] });
  const field = bindFields(draft, setDraft);
  const contacts = useQuery({
    queryKey: ["contacts", tenantId],
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/contacts", { params: { path: { tenantId }, query: { page_size: 1000 } } })).contacts,
    staleTime: 5 * 60_000,
  });
  const create = useIntentMutation(
    intent,
    async (headers) =>
      unwrap(
        await api.POST("/tenants/{tenantId}/invoices", {
          params: { path: { tenantId } },
          headers,
          body: {
            type: draft.type,
            contact_id: draft.contactId,
            status: "DRAFT",
            date: draft.date || undefined,
            due_date: draft.dueDate || undefined,
            invoice_number: draft.number.trim() || undefined,
            reference: draft.reference || undefined,
            line_items: draft.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit_amount: l.unitAmount, account_code: l.accountCode || undefined })),
          },
        }),
      ),
    {
      onSuccess: (invoice) => {
        clearDraft();
        void queryClient.invalidateQueries({ queryKey: ["invoices", tenantId] });
        navigate(`/invoices/${invoice.invoice_id}`);
      },
    },
  );
  const setLine = (index: number, change: Partial<Line>) => setDraft((d) => ({ ...d, lines: d.lines.map((l, i) => (i === index ? { ...l, ...change } : l)) }));
  const linesValid = draft.lines.every((l) => l.description.trim() && DECIMAL.test(l.quantity) && DECIMAL.test(l.unitAmount));
  const ready = !!draft.contactId && linesValid;
  return (
    <section>
      <p className="mb-2 text-sm"><Link to="/invoices" className="link">← Invoices & bills</Link></p>
      <PageHeader title="New draft" />
      <SubmitForm className="card grid gap-4" aria-label="New draft invoice or bill" mutation={create} ready={ready} submit="Save draft">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <SelectField label="Type" value={draft.type} onChange={(e) => setDraft((d) => ({ ...d, type: e.target.value as Draft["type"] }))}>
            <option value="ACCPAY">Bill (we pay)</option>
            <option value="ACCREC">Sales invoice (we are paid)</option>
          </SelectField>
          <SelectField label="Contact" required {...field("contactId")}>
            <option value="">{contacts.isLoading ? "Loading contacts…" : "Choose a contact"}</option>
            {(contacts.data ?? []).map((c) => <option key={c.contact_id} value={c.contact_id}>{c.name}</option>)}
          </SelectField>
          <TextField label="Number (optional)" hint={draft.type === "ACCPAY" ? "The supplier's invoice number." : "Xero numbers it when left empty."} maxLength={255} {...field("number")} />
          <TextField label="Reference (optional)" {...field("reference")} />
          <TextField label="Date" type="date" {...field("date")} />
          <TextField label="Due date" type="date" {...field("dueDate")} />
        </div>
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-1 font-semibold">Lines</legend>
          {draft.lines.map((line, i) => (
            <div key={i} className="grid gap-2 rounded-md border border-slate-200 p-3 sm:grid-cols-[2fr_1fr_1fr_1fr_auto] sm:items-end">
              <TextField label={`Line ${i + 1} description`} required value={line.description} onChange={(e) => setLine(i, { description: e.target.value })} />
              <TextField label="Quantity" inputMode="decimal" required value={line.quantity} onChange={(e) => setLine(i, { quantity: e.target.value })} />
              <TextField label="Unit price" inputMode="decimal" required value={line.unitAmount} onChange={(e) => setLine(i, { unitAmount: e.target.value })} />
              <TextField label="Account code" value={line.accountCode} onChange={(e) => setLine(i, { accountCode: e.target.value })} />
              <button type="button" className="btn-secondary" disabled={draft.lines.length === 1} onClick={() => setDraft((d) => ({ ...d, lines: d.lines.filter((_, j) => j !== i) }))}>
                Remove<span className="sr-only"> line {i + 1}</span>
              </button>
            </div>
          ))}
          <button type="button" className="btn-secondary self-start" onClick={() => setDraft((d) => ({ ...d, lines: [...d.lines, EMPTY_LINE] }))}>Add a line</button>
        </fieldset>
        <p className="text-sm font-semibold">Total before tax: <Money amount={sum(draft.lines.map((l) => lineAmount(l).toFixed(2))).toFixed(2)} /></p>
      </SubmitForm>
    </section>
  );
}
