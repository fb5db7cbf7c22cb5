import { useState, type ReactNode } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { useListChange } from "../../api/queries";
import { EMPTY_FORM, STATUSES, rowProblems, serverProblems, toBody, type InvoiceType, type MapKind, type MirrorFormState, type ServerProblems, type SourceStatus } from "../../lib/mirrors";
import { useTenants } from "../../tenant/TenantContext";
import { BusyButton, WithCancel } from "../Buttons";
import { SelectField, TextField } from "../Field";
import { InlineError } from "../States";
import { MapRows } from "./MapRows";
import { useOrganisationCodes } from "./mirrorChoices";

type Update = <K extends keyof MirrorFormState>(key: K, value: MirrorFormState[K]) => void;

/** A new mirror from the current organisation into another connected one. */
export function MirrorForm({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const { connections } = useTenants();
  const targets = connections.filter((c) => c.tenant_id !== tenantId);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY_FORM);
  const [tried, setTried] = useState(false);
  const create = useListChange(["mirrors", tenantId], async () => unwrap(await api.POST("/tenants/{tenantId}/mirrors", { params: { path: { tenantId } }, body: toBody(form) })), () => {
    setForm(EMPTY_FORM);
    setTried(false);
    setOpen(false);
  });
  const set: Update = (key, value) => {
    if (create.error) create.reset(); // what the API said was about the form before this change
    setForm((f) => ({ ...f, [key]: value }));
  };
  const ready = !!form.target && form.types.length > 0 && form.statuses.length > 0;
  const incomplete = (["account_map", "tax_map"] as const).some((kind) => Object.keys(rowProblems(kind, form[kind])).length > 0);
  const refused = serverProblems(create.error);
  const nameOf = (id: string) => connections.find((c) => c.tenant_id === id)?.tenant_name ?? id;
  if (!open)
    return (
      <button type="button" className="btn-primary mb-4" onClick={() => setOpen(true)} disabled={targets.length === 0} aria-describedby={targets.length === 0 ? "no-targets" : undefined}>
        New mirror
        {targets.length === 0 && <span id="no-targets" className="sr-only">: connect a second organisation first</span>}
      </button>
    );
  return (
    <form
      className="card mb-4 flex max-w-3xl flex-col gap-5"
      aria-label="New mirror"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (ready && !incomplete && !create.isPending) create.mutate();
      }}
    >
      <Section title="What is copied">
        <SelectField label="Copy into" required value={form.target} error={refused.fields.target} onChange={(e) => set("target", e.target.value)}>
          <option value="">Choose an organisation</option>
          {targets.map((c) => <option key={c.tenant_id} value={c.tenant_id}>{c.tenant_name ?? c.tenant_id}</option>)}
        </SelectField>
        <WhatIsCopied form={form} set={set} refused={refused} />
      </Section>
      <Codes form={form} set={set} tried={tried} refused={refused} source={{ id: tenantId, name: nameOf(tenantId) }} target={{ id: form.target, name: form.target ? nameOf(form.target) : "the target" }} />
      <Section title="Numbers, references and contacts">
        <NumbersAndContacts form={form} set={set} refused={refused} />
      </Section>
      <InlineError error={create.error} />
      {refused.other.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-red-800">
          {refused.other.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      {tried && incomplete && <p role="alert" className="text-sm text-red-800">Some code mappings need fixing (see above).</p>}
      <WithCancel onCancel={() => setOpen(false)}>
        <BusyButton type="submit" className="btn-primary" busy={create.isPending} disabled={!ready}>Create mirror</BusyButton>
      </WithCancel>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 border-b border-slate-200 pb-5 last-of-type:border-0" aria-label={title}>
      <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-600">{title}</h2>
      {children}
    </section>
  );
}

function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

interface PartProps {
  form: MirrorFormState;
  set: Update;
  refused: ServerProblems;
}

function Problem({ text }: { text?: string }) {
  return text ? <p className="text-xs text-red-700">{text}</p> : null;
}

function WhatIsCopied({ form, set, refused }: PartProps) {
  const type = (value: InvoiceType, label: string) => (
    <label className="flex items-center gap-2"><input type="checkbox" checked={form.types.includes(value)} onChange={() => set("types", toggle(form.types, value))} /> {label}</label>
  );
  const status = (value: SourceStatus, label: string) => (
    <label key={value} className="flex items-center gap-2"><input type="checkbox" checked={form.statuses.includes(value)} onChange={() => set("statuses", toggle(form.statuses, value))} /> {label}</label>
  );
  return (
    <>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <legend className="mb-1 text-sm font-medium text-slate-700">Documents</legend>
        {type("ACCREC", "Sales invoices")}
        {type("ACCPAY", "Bills")}
        <Problem text={refused.fields.types} />
      </fieldset>
      <fieldset className="flex flex-col gap-1 text-sm" aria-describedby="mirror-statuses-hint">
        <legend className="mb-1 text-sm font-medium text-slate-700">Copied once they are</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">{STATUSES.map((s) => status(s.value, s.label))}</div>
        <p id="mirror-statuses-hint" className="text-xs text-slate-600">
          {form.statuses.length === 0 ? <span className="text-red-700">Choose at least one status. </span> : null}
          Once a document is copied, every later change follows it, voiding and deleting included.
        </p>
        <Problem text={refused.fields.statuses} />
      </fieldset>
      <div className="flex flex-col gap-1 text-sm">
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.flip} onChange={(e) => set("flip", e.target.checked)} /> A sale becomes a bill in the other organisation (and back)</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.items} onChange={(e) => set("items", e.target.checked)} /> Create items the other organisation lacks (otherwise the document waits)</label>
      </div>
      <div className="sm:max-w-xs">
        <TextField label="Also copy existing ones dated from (optional)" type="date" value={form.backfill} error={refused.fields.backfill} onChange={(e) => set("backfill", e.target.value)} />
      </div>
    </>
  );
}

interface Organisation {
  id: string;
  name: string;
}

function Codes({ form, set, tried, refused, source, target }: PartProps & { tried: boolean; source: Organisation; target: Organisation }) {
  const from = useOrganisationCodes(source.id);
  const into = useOrganisationCodes(target.id);
  const failed = from.failed || into.failed;
  const map = (kind: MapKind, legend: string, hint: ReactNode, pick: "accounts" | "taxTypes") => (
    <MapRows
      kind={kind}
      legend={legend}
      hint={hint}
      rows={form[kind]}
      onChange={(rows) => set(kind, rows)}
      source={{ name: source.name, choices: from[pick], names: kind === "account_map" ? from.names : undefined }}
      target={{ name: target.name, choices: into[pick], ...(kind === "account_map" ? { known: into.known, names: into.names } : {}) }}
      problems={rowProblems(kind, form[kind], { complete: tried })}
      refused={refused.rows[kind]}
      error={refused.fields[kind]}
    />
  );
  return (
    <Section title="Account codes and tax">
      {failed && <p className="text-xs text-slate-600">The charts of accounts could not be read, so no codes are offered: type them.</p>}
      {map("account_map", "Account codes", "A line's account code is kept as it is unless it is mapped here; the other organisation must have it.", "accounts")}
      {map("tax_map", "Tax types", <>A tax type that is not mapped is not sent: the other organisation applies its own default tax for the line's account. Map one to keep it, e.g. OUTPUT2 → OUTPUT.</>, "taxTypes")}
    </Section>
  );
}

function NumbersAndContacts({ form, set, refused }: PartProps) {
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Number prefix (optional)" maxLength={20} value={form.numberPrefix} error={refused.fields.numberPrefix} hint="Put before the number: NZ- makes INV-0002 into NZ-INV-0002." onChange={(e) => set("numberPrefix", e.target.value)} />
        <TextField label="Reference prefix (optional)" maxLength={20} value={form.referencePrefix} error={refused.fields.referencePrefix} hint="Put before the reference; without one it is kept as it is." onChange={(e) => set("referencePrefix", e.target.value)} />
      </div>
      <TextField
        label="Every copy names this contact (optional)"
        maxLength={255}
        value={form.contactName}
        error={refused.fields.contactName}
        hint="A contact of the other organisation, e.g. this organisation itself on intercompany bills. Empty: each copy names its own contact, matched by name."
        onChange={(e) => set("contactName", e.target.value)}
      />
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={form.contacts} onChange={(e) => set("contacts", e.target.checked)} /> Create contacts the other organisation lacks (otherwise the document waits)</label>
    </>
  );
}
