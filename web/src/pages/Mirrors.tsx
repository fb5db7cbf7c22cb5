import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api/ApiContext";
import { unwrap, type Schemas } from "../api/client";
import { useListChange } from "../api/queries";
import { Badge } from "../components/Badge";
import { CardActions, ConfirmDelete } from "../components/Buttons";
import { PageHeader } from "../components/Layout";
import { EmptyState, PageLoading, QueryStates } from "../components/States";
import { MirrorForm } from "../components/automations/MirrorForm";
import { MirrorLog } from "../components/automations/MirrorLog";
import { MirrorSettings } from "../components/automations/MirrorSettings";
import { formatDateTime } from "../lib/dates";
import { useTenantId } from "../tenant/useTenant";

type Mirror = Schemas["MirrorOut"];

function MirrorCard({ tenantId, mirror }: { tenantId: string; mirror: Mirror }) {
  const api = useApi();
  const remove = useListChange(["mirrors", tenantId], async () => unwrap(await api.DELETE("/tenants/{tenantId}/mirrors/{mirrorId}", { params: { path: { tenantId, mirrorId: mirror.mirror_id } } })));
  const { health } = mirror;
  const counts = Object.entries(health.counts ?? {}).filter(([, n]) => n);
  const name = `${mirror.source_name ?? mirror.source_tenant_id} → ${mirror.target_name ?? mirror.target_tenant_id}`;
  return (
    <li className="card flex flex-col gap-2 text-sm" aria-label={`Mirror ${name}`}>
      <p className="flex flex-wrap items-center gap-2 font-semibold">
        {name} <Badge status={health.state} label={`Health: ${health.state}`} />
      </p>
      <MirrorSettings mirror={mirror} />
      {health.problems.length > 0 && (
        <ul className="list-disc pl-5 text-amber-900">
          {health.problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      <p className="text-slate-600">
        {counts.length ? counts.map(([k, n]) => `${n} ${k}`).join(" · ") : "Nothing copied yet"}
        {health.waiting ? ` · ${health.waiting} waiting` : ""}
        {health.parked ? ` · ${health.parked} parked` : ""}
        {health.last_activity_at ? ` · last ${formatDateTime(health.last_activity_at)}` : ""}
      </p>
      {health.last_error && <p className="text-red-800">Last error: {health.last_error}</p>}
      <CardActions show="Show the log" hide="Hide the log" detail={<MirrorLog tenantId={tenantId} mirrorId={mirror.mirror_id} />} error={remove.error}>
        <ConfirmDelete label="Stop mirroring" busy={remove.isPending} onDelete={() => remove.mutate()} />
      </CardActions>
    </li>
  );
}

/** Mirrors: invoices and bills of this organisation copied into another as they change (admins). */
export default function Mirrors() {
  const tenantId = useTenantId();
  const api = useApi();
  const mirrors = useQuery({
    queryKey: ["mirrors", tenantId],
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/mirrors", { params: { path: { tenantId } } })).mirrors,
  });
  const live = (mirrors.data ?? []).filter((m) => m.status !== "deleted");
  return (
    <section>
      <PageHeader title="Mirrors" />
      <p className="mb-4 text-sm text-slate-700">A mirror copies this organisation's invoices and bills into another organisation as they change, credit notes and allocations included.</p>
      <MirrorForm tenantId={tenantId} />
      <QueryStates
        query={mirrors}
        loading={<PageLoading label="Loading mirrors…" />}
        isEmpty={live.length === 0}
        empty={<EmptyState title="No mirrors yet">Create one to copy invoices into another organisation.</EmptyState>}
      >
        <ul className="flex flex-col gap-3">
          {live.map((m) => <MirrorCard key={m.mirror_id} tenantId={tenantId} mirror={m} />)}
        </ul>
      </QueryStates>
    </section>
  );
}
