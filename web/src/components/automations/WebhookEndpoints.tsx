import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { Badge } from "../Badge";
import { TextField } from "../Field";
import { CopyField } from "../rails/CopyField";
import { EmptyState, ErrorState, InlineError, Spinner } from "../States";
import { Deliveries } from "./Deliveries";
import { splitList } from "./lists";

type Endpoint = Schemas["WebhookEndpointOut"];

function EndpointCard({ tenantId, endpoint }: { tenantId: string; endpoint: Endpoint }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/tenants/{tenantId}/webhook_endpoints/{endpointId}", { params: { path: { tenantId, endpointId: endpoint.webhook_endpoint_id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["webhook-endpoints", tenantId] }),
  });
  return (
    <li className="card flex flex-col gap-2 text-sm" aria-label={`Endpoint ${endpoint.url}`}>
      <p className="flex flex-wrap items-center gap-2 font-semibold [overflow-wrap:anywhere]">
        {endpoint.url} <Badge status={endpoint.status} />
      </p>
      <p className="text-slate-700">{endpoint.description ? `${endpoint.description} · ` : ""}{endpoint.events.join(", ")}</p>
      {endpoint.failing_since && <p className="text-red-800">Every attempt has failed since {formatDateTime(endpoint.failing_since)}; the next success makes it active again.</p>}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" aria-expanded={showDeliveries} onClick={() => setShowDeliveries((v) => !v)}>
          {showDeliveries ? "Hide deliveries" : "Show deliveries"}
        </button>
        {!confirming ? (
          <button type="button" className="btn-secondary" onClick={() => setConfirming(true)}>Delete…</button>
        ) : (
          <>
            <button type="button" className="btn-danger" disabled={remove.isPending} onClick={() => remove.mutate()}>{remove.isPending && <Spinner />} Delete this endpoint</button>
            <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>Keep it</button>
          </>
        )}
      </div>
      <InlineError error={remove.error} />
      {showDeliveries && <Deliveries tenantId={tenantId} endpointId={endpoint.webhook_endpoint_id} />}
    </li>
  );
}

function NewEndpoint({ tenantId, onCreated }: { tenantId: string; onCreated: (created: Schemas["WebhookEndpointCreatedOut"]) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ url: "", events: "payment.*", description: "" });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/tenants/{tenantId}/webhook_endpoints", { params: { path: { tenantId } }, body: { url: form.url.trim(), events: splitList(form.events), description: form.description.trim() || null } })),
    onSuccess: (created) => {
      setForm({ url: "", events: "payment.*", description: "" });
      onCreated(created);
      void queryClient.invalidateQueries({ queryKey: ["webhook-endpoints", tenantId] });
    },
  });
  const ready = !!form.url.trim() && splitList(form.events).length > 0;
  return (
    <form
      className="card grid gap-3"
      aria-label="New webhook endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !create.isPending) create.mutate();
      }}
    >
      <TextField label="Endpoint URL" type="url" required placeholder="https://" value={form.url} onChange={(e) => setForm((f) => ({ ...f, url: e.target.value }))} hint="https:// on a public address" />
      <TextField label="Events" required value={form.events} onChange={(e) => setForm((f) => ({ ...f, events: e.target.value }))} hint="Separated by commas, e.g. payment.*, invoice.created, or * for all" />
      <TextField label="Description (optional)" value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />
      <InlineError error={create.error} />
      <button type="submit" className="btn-primary justify-self-start" disabled={!ready || create.isPending}>{create.isPending && <Spinner />} Add endpoint</button>
    </form>
  );
}

/** Webhook endpoints: where this organisation's events are POSTed, signed with a secret shown once. */
export function WebhookEndpoints({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const [created, setCreated] = useState<Schemas["WebhookEndpointCreatedOut"] | null>(null);
  const list = useQuery({
    queryKey: ["webhook-endpoints", tenantId],
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/webhook_endpoints", { params: { path: { tenantId } } })).webhook_endpoints,
  });
  return (
    <section aria-labelledby="endpoints-title" className="flex flex-col gap-3">
      <h2 id="endpoints-title" className="text-lg font-semibold">Webhook endpoints</h2>
      {created && (
        <div role="status" className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="endpoint-secret">
          <p className="font-semibold">Copy the signing secret now: it is shown only this once.</p>
          <CopyField label={`Signing secret for ${created.url}`} value={created.secret} />
          <p>Deliveries carry XeroBridge-Signature: t=…,v1=HMAC-SHA256 of "t.body" with this secret.</p>
          <button type="button" className="btn-secondary self-start" onClick={() => setCreated(null)}>I have stored it</button>
        </div>
      )}
      <NewEndpoint tenantId={tenantId} onCreated={setCreated} />
      {list.isLoading ? (
        <p role="status" className="text-sm"><Spinner /> Loading endpoints…</p>
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data!.length === 0 ? (
        <EmptyState title="No webhook endpoints yet" />
      ) : (
        <ul className="flex flex-col gap-3">
          {list.data!.map((e) => <EndpointCard key={e.webhook_endpoint_id} tenantId={tenantId} endpoint={e} />)}
        </ul>
      )}
    </section>
  );
}
