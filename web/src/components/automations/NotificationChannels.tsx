import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { SelectField, TextField } from "../Field";
import { EmptyState, ErrorState, InlineError, Spinner } from "../States";
import { splitList } from "./lists";

type Channel = Schemas["NotificationChannelOut"];
type Kind = Channel["kind"];

const KINDS: Record<Kind, { label: string; target: string; hint: string }> = {
  slack: { label: "Slack", target: "Slack incoming webhook URL", hint: "https://hooks.slack.com/services/…" },
  discord: { label: "Discord", target: "Discord webhook URL", hint: "https://discord.com/api/webhooks/…" },
  email: { label: "E-mail", target: "E-mail address", hint: "Who is told" },
};

function ChannelCard({ tenantId, channel }: { tenantId: string; channel: Channel }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = { tenantId, channelId: channel.notification_channel_id };
  const test = useMutation({ mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/notification_channels/{channelId}/test", { params: { path } })) });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/tenants/{tenantId}/notification_channels/{channelId}", { params: { path } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["notification-channels", tenantId] }),
  });
  const [confirming, setConfirming] = useState(false);
  const result = test.data;
  return (
    <li className="card flex flex-col gap-2 text-sm" aria-label={`${KINDS[channel.kind].label} ${channel.target_hint}`}>
      <p className="font-semibold [overflow-wrap:anywhere]">{KINDS[channel.kind].label} · {channel.target_hint}</p>
      <p className="text-slate-700">{channel.description ? `${channel.description} · ` : ""}{channel.alerts.join(", ")}</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" disabled={test.isPending} onClick={() => test.mutate()}>{test.isPending && <Spinner />} Send a test alert</button>
        {!confirming ? (
          <button type="button" className="btn-secondary" onClick={() => setConfirming(true)}>Delete…</button>
        ) : (
          <>
            <button type="button" className="btn-danger" disabled={remove.isPending} onClick={() => remove.mutate()}>{remove.isPending && <Spinner />} Delete this channel</button>
            <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>Keep it</button>
          </>
        )}
      </div>
      {result && (
        <p role="status" className={result.delivered ? "text-green-800" : "text-red-800"}>
          {result.delivered ? "The test alert was delivered." : `The test alert was not delivered${result.error ? `: ${result.error}` : ""}.`}
          {result.status_code ? ` (HTTP ${result.status_code})` : ""}
        </p>
      )}
      <InlineError error={test.error ?? remove.error} />
    </li>
  );
}

function NewChannel({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ kind: "slack" as Kind, target: "", alerts: "*", description: "" });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tenants/{tenantId}/notification_channels", {
          params: { path: { tenantId } },
          body: { kind: form.kind, target: form.target.trim(), alerts: splitList(form.alerts), description: form.description.trim() || null },
        }),
      ),
    onSuccess: () => {
      setForm((f) => ({ ...f, target: "", description: "" }));
      void queryClient.invalidateQueries({ queryKey: ["notification-channels", tenantId] });
    },
  });
  const ready = !!form.target.trim() && splitList(form.alerts).length > 0;
  const kind = KINDS[form.kind];
  return (
    <form
      className="card grid gap-3"
      aria-label="New alert channel"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !create.isPending) create.mutate();
      }}
    >
      <SelectField label="Channel" value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as Kind }))}>
        {(Object.keys(KINDS) as Kind[]).map((k) => <option key={k} value={k}>{KINDS[k].label}</option>)}
      </SelectField>
      <TextField label={kind.target} required type={form.kind === "email" ? "email" : "url"} autoComplete="off" value={form.target} onChange={(e) => setForm((f) => ({ ...f, target: e.target.value }))} hint={`${kind.hint} · stored encrypted, never shown again in full`} />
      <TextField label="Alerts" required value={form.alerts} onChange={(e) => setForm((f) => ({ ...f, alerts: e.target.value }))} hint="Separated by commas, e.g. payment.failed, connection.needs_reconnect, or * for all" />
      <TextField label="Description (optional)" value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />
      <InlineError error={create.error} />
      <button type="submit" className="btn-primary justify-self-start" disabled={!ready || create.isPending}>{create.isPending && <Spinner />} Add channel</button>
    </form>
  );
}

/** Where the finance team is alerted: Slack, Discord or e-mail. */
export function NotificationChannels({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const list = useQuery({
    queryKey: ["notification-channels", tenantId],
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/notification_channels", { params: { path: { tenantId } } })).notification_channels,
  });
  return (
    <section aria-labelledby="channels-title" className="flex flex-col gap-3">
      <h2 id="channels-title" className="text-lg font-semibold">Alert channels</h2>
      <NewChannel tenantId={tenantId} />
      {list.isLoading ? (
        <p role="status" className="text-sm"><Spinner /> Loading channels…</p>
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data!.length === 0 ? (
        <EmptyState title="No alert channels yet" />
      ) : (
        <ul className="flex flex-col gap-3">
          {list.data!.map((c) => <ChannelCard key={c.notification_channel_id} tenantId={tenantId} channel={c} />)}
        </ul>
      )}
    </section>
  );
}
