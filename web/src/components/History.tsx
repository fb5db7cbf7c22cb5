import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { useCan } from "../auth/SessionContext";
import { formatDateTime } from "../lib/dates";
import { ErrorState, InlineError, Spinner } from "./States";

export function History({ tenantId, invoiceId }: { tenantId: string; invoiceId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const canWrite = useCan("write");
  const [note, setNote] = useState("");
  const path = { tenantId, id: invoiceId };
  const queryKey = ["history", tenantId, invoiceId];
  const history = useQuery({
    queryKey,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}/history", { params: { path } })).history,
  });
  const addNote = useMutation({
    mutationFn: async (details: string) => unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/history", { params: { path }, body: { details } })),
    onSuccess: () => {
      setNote("");
      void queryClient.invalidateQueries({ queryKey });
    },
  });
  return (
    <section className="card mt-4" aria-labelledby="history-title">
      <h2 id="history-title" className="mb-2 font-semibold">History and notes</h2>
      {canWrite && (
        <form
          className="mb-3 flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) addNote.mutate(note.trim());
          }}
        >
          <div className="flex-1">
            <label htmlFor="new-note" className="text-sm font-medium text-slate-700">Add a note</label>
            <input id="new-note" className="input" value={note} maxLength={450} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="submit" className="btn-secondary" disabled={!note.trim() || addNote.isPending}>
            {addNote.isPending && <Spinner />} Add note
          </button>
        </form>
      )}
      <InlineError error={addNote.error} />
      {history.isLoading ? (
        <p role="status" className="text-sm text-slate-600"><Spinner /> Loading…</p>
      ) : history.error ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data?.length ? (
        <ol className="flex flex-col gap-2 text-sm">
          {history.data.map((record, index) => (
            <li key={index} className="border-l-2 border-slate-200 pl-3">
              <p className="font-medium">{record.changes ?? "Change"} <span className="font-normal text-slate-600">· {record.user ?? "Xero"} · {formatDateTime(record.date)}</span></p>
              {record.details && <p className="text-slate-700">{record.details}</p>}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-600">No history yet.</p>
      )}
    </section>
  );
}
