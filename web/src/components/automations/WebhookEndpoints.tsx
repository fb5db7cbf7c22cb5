import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { useListChange } from "../../api/queries";
import { formatDateTime } from "../../lib/dates";
import { Badge } from "../Badge";
import { CardActions, ConfirmDelete } from "../Buttons";
import { bindFields, SubmitForm, TextField } from "../Field";
import { CopyField } from "../rails/CopyField";
import { AutomationList } from "./AutomationList";
import { Deliveries } from "./Deliveries";
import { splitList } from "./lists";

type Endpoint = Schemas["WebhookEndpointOut"];

const EMPTY_ENDPOINT = { url: "", events: "payment.*", description: "" };

function EndpointCard({ tenantId, endpoint }: { tenantId: string; endpoint: Endpoint }) {
  const api = useApi();
  const path = { tenantId, endpointId: endpoint.webhook_endpoint_id };
  const remove = useListChange(["webhook-endpoints", tenantId], async () => unwrap(await api.DELETE("/tenants/{tenantId}/webhook_endpoints/{endpointId}", { params: { path } })));
  return (
    <li className="card flex flex-col gap-2 text-sm" aria-label={`Endpoint ${endpoint.url}`}>
      <p className="flex flex-wrap items-center gap-2 font-semibold [overflow-wrap:anywhere]">
        {endpoint.url} <Badge status={endpoint.status} />
      </p>
      <p className="text-slate-700">{endpoint.description ? `${endpoint.description} · ` : ""}{endpoint.events.join(", ")}</p>
      {endpoint.failing_since && <p className="text-red-800">Every attempt has failed since {formatDateTime(endpoint.failing_since)}; the next success makes it active again.</p>}
      <CardActions show="Show deliveries" hide="Hide deliveries" detail={<Deliveries tenantId={tenantId} endpointId={endpoint.webhook_endpoint_id} />} error={remove.error}>
        <ConfirmDelete label="Delete this endpoint" busy={remove.isPending} onDelete={() => remove.mutate()} />
      </CardActions>
    </li>
  );
}

function NewEndpoint({ tenantId, onCreated }: { tenantId: string; onCreated: (created: Schemas["WebhookEndpointCreatedOut"]) => void }) {
  const api = useApi();
  const [form, setForm] = useState(EMPTY_ENDPOINT);
  const field = bindFields(form, setForm);
  const create = useListChange(
    ["webhook-endpoints", tenantId],
    async () =>
      unwrap(await api.POST("/tenants/{tenantId}/webhook_endpoints", { params: { path: { tenantId } }, body: { url: form.url.trim(), events: splitList(form.events), description: form.description.trim() || null } })),
    (created) => {
      setForm(EMPTY_ENDPOINT);
      onCreated(created);
    },
  );
  const ready = !!form.url.trim() && splitList(form.events).length > 0;
  return (
    <SubmitForm className="card grid gap-3" aria-label="New webhook endpoint" mutation={create} ready={ready} submit="Add endpoint">
      <TextField label="Endpoint URL" type="url" required placeholder="https://" {...field("url")} hint="https:// on a public address" />
      <TextField label="Events" required {...field("events")} hint="Separated by commas, e.g. payment.*, invoice.created, or * for all" />
      <TextField label="Description (optional)" {...field("description")} />
    </SubmitForm>
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
    <AutomationList title="Webhook endpoints" list={list} loading="Loading endpoints…" card={(e) => <EndpointCard key={e.webhook_endpoint_id} tenantId={tenantId} endpoint={e} />}>
      {created && (
        <div role="status" className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="endpoint-secret">
          <p className="font-semibold">Copy the signing secret now: it is shown only this once.</p>
          <CopyField label={`Signing secret for ${created.url}`} value={created.secret} />
          <p>Deliveries carry XeroBridge-Signature: t=…,v1=HMAC-SHA256 of "t.body" with this secret.</p>
          <button type="button" className="btn-secondary self-start" onClick={() => setCreated(null)}>I have stored it</button>
        </div>
      )}
      <NewEndpoint tenantId={tenantId} onCreated={setCreated} />
    </AutomationList>
  );
}
