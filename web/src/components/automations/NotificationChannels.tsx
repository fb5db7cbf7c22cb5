import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { useListChange } from "../../api/queries";
import { BusyButton, ConfirmDelete } from "../Buttons";
import { bindFields, SelectField, SubmitForm, TextField } from "../Field";
import { InlineError } from "../States";
import { AutomationList } from "./AutomationList";
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
  const path = { tenantId, channelId: channel.notification_channel_id };
  const test = useMutation({ mutationFn: async () => unwrap(await api.POST("/tenants/{tenantId}/notification_channels/{channelId}/test", { params: { path } })) });
  const remove = useListChange(["notification-channels", tenantId], async () => unwrap(await api.DELETE("/tenants/{tenantId}/notification_channels/{channelId}", { params: { path } })));
  const result = test.data;
  return (
    <li className="card flex flex-col gap-2 text-sm" aria-label={`${KINDS[channel.kind].label} ${channel.target_hint}`}>
      <p className="font-semibold [overflow-wrap:anywhere]">{KINDS[channel.kind].label} · {channel.target_hint}</p>
      <p className="text-slate-700">{channel.description ? `${channel.description} · ` : ""}{channel.alerts.join(", ")}</p>
      <div className="flex flex-wrap gap-2">
        <BusyButton busy={test.isPending} onClick={() => test.mutate()}>Send a test alert</BusyButton>
        <ConfirmDelete label="Delete this channel" busy={remove.isPending} onDelete={() => remove.mutate()} />
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

type ChannelForm = { kind: Kind; target: string; alerts: string; description: string };

/** What the form asks the API for: the target trimmed, the alerts as a list, an empty description as none. */
function toBody(form: ChannelForm): Schemas["NotificationChannelIn"] {
  return { kind: form.kind, target: form.target.trim(), alerts: splitList(form.alerts), description: form.description.trim() || null };
}

function NewChannel({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const [form, setForm] = useState<ChannelForm>({ kind: "slack", target: "", alerts: "*", description: "" });
  const field = bindFields(form, setForm);
  const body = toBody(form);
  const create = useListChange(
    ["notification-channels", tenantId],
    async () => unwrap(await api.POST("/tenants/{tenantId}/notification_channels", { params: { path: { tenantId } }, body })),
    () => setForm((f) => ({ ...f, target: "", description: "" })),
  );
  const ready = !!body.target && body.alerts.length > 0;
  const kind = KINDS[form.kind];
  return (
    <SubmitForm className="card grid gap-3" aria-label="New alert channel" mutation={create} ready={ready} submit="Add channel">
      <SelectField label="Channel" value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as Kind }))}>
        {(Object.keys(KINDS) as Kind[]).map((k) => <option key={k} value={k}>{KINDS[k].label}</option>)}
      </SelectField>
      <TextField label={kind.target} required type={form.kind === "email" ? "email" : "url"} autoComplete="off" {...field("target")} hint={`${kind.hint} · stored encrypted, never shown again in full`} />
      <TextField label="Alerts" required {...field("alerts")} hint="Separated by commas, e.g. payment.failed, connection.needs_reconnect, or * for all" />
      <TextField label="Description (optional)" {...field("description")} />
    </SubmitForm>
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
    <AutomationList title="Alert channels" list={list} loading="Loading channels…" card={(c) => <ChannelCard key={c.notification_channel_id} tenantId={tenantId} channel={c} />}>
      <NewChannel tenantId={tenantId} />
    </AutomationList>
  );
}
