import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { Badge } from "../Badge";
import { ErrorState, InlineError, Spinner } from "../States";

/** An endpoint's newest deliveries, each replayable (the replay keeps the event's id). */
export function Deliveries({ tenantId, endpointId }: { tenantId: string; endpointId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const queryKey = ["deliveries", tenantId, endpointId];
  const list = useQuery({
    queryKey,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/webhook_endpoints/{endpointId}/deliveries", { params: { path: { tenantId, endpointId }, query: { page_size: 20 } } })).deliveries,
  });
  const replay = useMutation({
    mutationFn: async (deliveryId: string) =>
      unwrap(await api.POST("/tenants/{tenantId}/webhook_endpoints/{endpointId}/deliveries/{deliveryId}/replay", { params: { path: { tenantId, endpointId, deliveryId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
  });
  if (list.isLoading) return <p role="status"><Spinner /> Loading deliveries…</p>;
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} title="The deliveries could not be loaded" />;
  if (!list.data!.length) return <p className="text-slate-600">Nothing delivered yet.</p>;
  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-2">
      <ol className="flex flex-col gap-1" aria-label="Deliveries">
        {list.data!.map((d) => (
          <li key={d.delivery_id} className="flex flex-wrap items-center gap-2 border-l-2 border-slate-300 pl-2">
            <Badge status={d.status} /> {d.event_type} · {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"} · {formatDateTime(d.created_at)}
            {d.replay_of ? " · a replay" : ""}
            {d.note && <span className="text-slate-700">· {d.note}</span>}
            <button type="button" className="btn-secondary px-2 py-1" disabled={replay.isPending} onClick={() => replay.mutate(d.delivery_id)} aria-label={`Replay ${d.event_type} of ${formatDateTime(d.created_at)}`}>
              Replay
            </button>
          </li>
        ))}
      </ol>
      <InlineError error={replay.error} />
    </div>
  );
}
