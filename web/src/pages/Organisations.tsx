import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap } from "../api/client";
import { keys, type Connection } from "../api/queries";
import { can } from "../auth/okta";
import { useSession } from "../auth/SessionContext";
import { Badge } from "../components/Badge";
import { BusyButton, WithCancel } from "../components/Buttons";
import { PageHeader } from "../components/Layout";
import { EmptyState, InlineError, PageLoading, QueryStates } from "../components/States";
import { formatDateTime } from "../lib/dates";
import { useTenants } from "../tenant/TenantContext";

function useConnect() {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const started = unwrap(
        await api.POST("/xero/connect", { body: { return_to: `${window.location.origin}/organisations` } }),
      );
      window.location.assign(started.authorize_url as string);
    },
  });
}

function health(connection: Connection): { status: string; label: string } {
  if (connection.status === "needs_reconnect") return { status: "needs_reconnect", label: "Needs reconnect" };
  if (connection.missing_scopes.length) return { status: "pending_approval", label: "Missing scopes" };
  return { status: "active", label: "Active" };
}

function ConnectionCard({ connection }: { connection: Connection }) {
  const session = useSession();
  const api = useApi();
  const queryClient = useQueryClient();
  const { current, select } = useTenants();
  const connect = useConnect();
  const [confirming, setConfirming] = useState(false);
  const disconnect = useMutation({
    mutationFn: async () => {
      unwrap(await api.DELETE("/xero/connections/{tenantId}", { params: { path: { tenantId: connection.tenant_id } } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.connections }),
  });
  const state = health(connection);
  const isCurrent = current?.tenant_id === connection.tenant_id;
  const mayDisconnect = can(session, "admin") || connection.connected_by === session?.sub;
  const name = connection.tenant_name ?? connection.tenant_id;
  return (
    <li className="card flex flex-col gap-3" aria-label={name}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{name}</h2>
          <p className="text-xs text-slate-600">
            Connected {formatDateTime(connection.connected_at)}
            {connection.connected_by ? ` by ${connection.connected_by}` : ""}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {isCurrent && <Badge status="approved" label="Current" />}
          <Badge status={state.status} label={state.label} />
        </div>
      </div>
      {connection.status === "needs_reconnect" && (
        <p className="text-sm text-red-800">Xero no longer accepts this connection. Reconnect to keep working with it.</p>
      )}
      {connection.missing_scopes.length > 0 && (
        <p className="text-sm text-amber-900">
          Missing permissions: {connection.missing_scopes.join(", ")}. Reconnect to grant them.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {!isCurrent && (
          <button type="button" className="btn-secondary" onClick={() => select(connection.tenant_id)}>
            Make current
          </button>
        )}
        {can(session, "connect") && (connection.status !== "active" || connection.missing_scopes.length > 0) && (
          <BusyButton className="btn-primary" busy={connect.isPending} onClick={() => connect.mutate()}>
            Reconnect
          </BusyButton>
        )}
        {mayDisconnect && !confirming && (
          <button type="button" className="btn-secondary" onClick={() => setConfirming(true)}>
            Disconnect
          </button>
        )}
      </div>
      {confirming && (
        <div role="group" aria-label="Confirm disconnect" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <p>Disconnect {name}? Nobody here will reach its books until it is connected again.</p>
          <WithCancel className="mt-2 flex gap-2" onCancel={() => setConfirming(false)}>
            <BusyButton className="btn-danger" busy={disconnect.isPending} onClick={() => disconnect.mutate()}>
              Yes, disconnect
            </BusyButton>
          </WithCancel>
        </div>
      )}
      <InlineError error={connect.error ?? disconnect.error} />
    </li>
  );
}

export default function Organisations() {
  const session = useSession();
  const { connections, loading, error, refetch } = useTenants();
  const connect = useConnect();
  const [params] = useSearchParams();
  const connected = params.get("xero") === "connected";
  const count = Number(params.get("tenants") ?? "");
  return (
    <section>
      <PageHeader title="Organisations">
        {can(session, "connect") && (
          <BusyButton className="btn-primary" busy={connect.isPending} onClick={() => connect.mutate()}>
            Connect a Xero organisation
          </BusyButton>
        )}
      </PageHeader>
      {connected && (
        <p role="status" className="mb-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">
          {Number.isInteger(count) && count > 0
            ? `Xero connected ${count} ${count === 1 ? "organisation" : "organisations"}.`
            : "Xero is connected."}
        </p>
      )}
      <InlineError error={connect.error} />
      <QueryStates
        query={{ isLoading: loading, error, refetch }}
        loading={<PageLoading label="Loading your organisations…" />}
        isEmpty={connections.length === 0}
        empty={
          <EmptyState title="No Xero organisation is connected yet">
            {can(session, "connect")
              ? "Connect one to see its bills and invoices, pay and ask about its books."
              : "Ask someone with permission to connect Xero (finance or an administrator) to connect one and share it with you."}
          </EmptyState>
        }
      >
        <ul className="grid gap-4 md:grid-cols-2">
          {connections.map((c) => (
            <ConnectionCard key={c.tenant_id} connection={c} />
          ))}
        </ul>
      </QueryStates>
    </section>
  );
}
