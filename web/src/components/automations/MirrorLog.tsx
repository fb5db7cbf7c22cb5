import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { Badge } from "../Badge";
import { ErrorState, Spinner } from "../States";

type Outcome = Schemas["LogEntryOut"]["outcome"];
const OUTCOMES: Outcome[] = ["copied", "updated", "skipped", "waiting", "failed", "parked"];

/** What a mirror did, newest first, page by page, filtered by outcome. */
export function MirrorLog({ tenantId, mirrorId }: { tenantId: string; mirrorId: string }) {
  const api = useApi();
  const id = useId();
  const [outcome, setOutcome] = useState<Outcome | "">("");
  const log = useInfiniteQuery({
    queryKey: ["mirror-log", tenantId, mirrorId, outcome],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/tenants/{tenantId}/mirrors/{mirrorId}/log", {
          params: { path: { tenantId, mirrorId }, query: { page_size: 20, page: pageParam ?? undefined, outcome: outcome || undefined } },
        }),
      ),
    getNextPageParam: (last) => last.next_page ?? null,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-2">
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium">Outcome</label>
        <select id={id} className="input max-w-[10rem]" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | "")}>
          <option value="">All</option>
          {OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </div>
      {log.isLoading ? (
        <p role="status"><Spinner /> Loading the log…</p>
      ) : log.error ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} title="The log could not be loaded" />
      ) : entries.length === 0 ? (
        <p className="text-slate-600">Nothing in the log{outcome ? ` with outcome ${outcome}` : ""}.</p>
      ) : (
        <ol className="flex flex-col gap-1" aria-label="Mirror log">
          {entries.map((e, i) => (
            <li key={`${e.at}-${i}`} className="border-l-2 border-slate-300 pl-2">
              <Badge status={e.outcome} /> {e.kind.replace("_", " ")} {e.source_number ?? e.source_id ?? ""}
              {e.target_number ? ` → ${e.target_number}` : ""} · {formatDateTime(e.at)}
              {e.reason && <span className="block text-slate-700">{e.reason}</span>}
              {e.messages.map((m) => <span key={m} className="block text-red-800">{m}</span>)}
            </li>
          ))}
        </ol>
      )}
      {log.hasNextPage && (
        <button type="button" className="btn-secondary self-start" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage && <Spinner />} Older entries
        </button>
      )}
    </div>
  );
}
