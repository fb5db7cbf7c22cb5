import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { useListChange } from "../api/queries";
import { useCan } from "../auth/SessionContext";
import { formatDateTime } from "../lib/dates";
import { BusyButton } from "./Buttons";
import { MutationForm } from "./Field";
import { Section } from "./Section";
import { InlineError, InlineLoading, QueryStates } from "./States";

export function History({ tenantId, invoiceId }: { tenantId: string; invoiceId: string }) {
  const api = useApi();
  const canWrite = useCan("write");
  const [note, setNote] = useState("");
  const path = { tenantId, id: invoiceId };
  const queryKey = ["history", tenantId, invoiceId];
  const history = useQuery({
    queryKey,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}/history", { params: { path } })).history,
  });
  const addNote = useListChange(queryKey, async () => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/history", { params: { path }, body: { details: note.trim() } })), () => setNote(""));
  const records = history.data ?? [];
  return (
    <Section title="History and notes" className="card mt-4" headingClassName="mb-2 font-semibold">
      {canWrite && (
        <MutationForm className="mb-3 flex flex-col gap-2 sm:flex-row sm:items-end" mutation={addNote} ready={!!note.trim()}>
          <div className="flex-1">
            <label htmlFor="new-note" className="text-sm font-medium text-slate-700">Add a note</label>
            <input id="new-note" className="input" value={note} maxLength={450} onChange={(e) => setNote(e.target.value)} />
          </div>
          <BusyButton type="submit" busy={addNote.isPending} disabled={!note.trim()}>
            Add note
          </BusyButton>
        </MutationForm>
      )}
      <InlineError error={addNote.error} />
      <QueryStates query={history} loading={<InlineLoading />} isEmpty={records.length === 0} empty={<p className="text-sm text-slate-600">No history yet.</p>}>
        <ol className="flex flex-col gap-2 text-sm">
          {records.map((record, index) => (
            <li key={index} className="border-l-2 border-slate-200 pl-3">
              <p className="font-medium">{record.changes ?? "Change"} <span className="font-normal text-slate-600">· {record.user ?? "Xero"} · {formatDateTime(record.date)}</span></p>
              {record.details && <p className="text-slate-700">{record.details}</p>}
            </li>
          ))}
        </ol>
      </QueryStates>
    </Section>
  );
}
