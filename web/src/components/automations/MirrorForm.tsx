import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { useTenants } from "../../tenant/TenantContext";
import { SelectField, TextField } from "../Field";
import { InlineError, Spinner } from "../States";

type Type = "ACCREC" | "ACCPAY";
const EMPTY = { target: "", types: ["ACCREC"] as Type[], flip: false, contacts: true, items: true, prefix: "", backfill: "" };

/** A new mirror from the current organisation into another connected one. */
export function MirrorForm({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { connections } = useTenants();
  const targets = connections.filter((c) => c.tenant_id !== tenantId);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tenants/{tenantId}/mirrors", {
          params: { path: { tenantId } },
          body: {
            target_tenant_id: form.target,
            types: form.types,
            flip_type: form.flip,
            create_missing_contacts: form.contacts,
            create_missing_items: form.items,
            number_prefix: form.prefix.trim() || null,
            backfill_from: form.backfill || null,
          },
        }),
      ),
    onSuccess: () => {
      setForm(EMPTY);
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ["mirrors", tenantId] });
    },
  });
  const toggleType = (type: Type) => setForm((f) => ({ ...f, types: f.types.includes(type) ? f.types.filter((t) => t !== type) : [...f.types, type] }));
  const ready = !!form.target && form.types.length > 0;
  if (!open)
    return (
      <button type="button" className="btn-primary mb-4" onClick={() => setOpen(true)} disabled={targets.length === 0} aria-describedby={targets.length === 0 ? "no-targets" : undefined}>
        New mirror
        {targets.length === 0 && <span id="no-targets" className="sr-only">: connect a second organisation first</span>}
      </button>
    );
  return (
    <form
      className="card mb-4 grid max-w-xl gap-3"
      aria-label="New mirror"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !create.isPending) create.mutate();
      }}
    >
      <SelectField label="Copy into" required value={form.target} onChange={(e) => setForm((f) => ({ ...f, target: e.target.value }))}>
        <option value="">Choose an organisation</option>
        {targets.map((c) => <option key={c.tenant_id} value={c.tenant_id}>{c.tenant_name ?? c.tenant_id}</option>)}
      </SelectField>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-sm font-medium text-slate-700">What is copied</legend>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.types.includes("ACCREC")} onChange={() => toggleType("ACCREC")} /> Sales invoices</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.types.includes("ACCPAY")} onChange={() => toggleType("ACCPAY")} /> Bills</label>
      </fieldset>
      <div className="flex flex-col gap-1 text-sm">
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.flip} onChange={(e) => setForm((f) => ({ ...f, flip: e.target.checked }))} /> A sale becomes a bill in the other organisation (and back)</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.contacts} onChange={(e) => setForm((f) => ({ ...f, contacts: e.target.checked }))} /> Create contacts the other organisation lacks</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.items} onChange={(e) => setForm((f) => ({ ...f, items: e.target.checked }))} /> Create items the other organisation lacks</label>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Number prefix (optional)" maxLength={20} value={form.prefix} onChange={(e) => setForm((f) => ({ ...f, prefix: e.target.value }))} />
        <TextField label="Also copy existing ones from (optional)" type="date" value={form.backfill} onChange={(e) => setForm((f) => ({ ...f, backfill: e.target.value }))} />
      </div>
      <InlineError error={create.error} />
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={!ready || create.isPending}>{create.isPending && <Spinner />} Create mirror</button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
