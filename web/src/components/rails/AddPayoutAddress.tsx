import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { SelectField, TextField } from "../Field";
import { InlineError, Spinner } from "../States";

const EMPTY = { contact_id: "", ccy: "USDT", chain: "USDT-TRC20", address: "", tag: "", label: "" };

/** An administrator adds a supplier's address; it is payable only once someone else approves it. */
export function AddPayoutAddress({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [added, setAdded] = useState<string | null>(null);
  const contacts = useQuery({
    queryKey: ["contacts", tenantId],
    enabled: open,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/contacts", { params: { path: { tenantId }, query: { page_size: 1000 } } })).contacts,
  });
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tenants/{tenantId}/payout_addresses", {
          params: { path: { tenantId } },
          body: { contact_id: form.contact_id, ccy: form.ccy.trim(), chain: form.chain.trim(), address: form.address.trim(), tag: form.tag.trim() || null, label: form.label.trim() || null },
        }),
      ),
    onSuccess: (entry) => {
      setForm(EMPTY);
      setOpen(false);
      setAdded(`Added for ${entry.contact_name ?? "the supplier"}: it waits for a second person's approval.`);
      void queryClient.invalidateQueries({ queryKey: ["payout-addresses", tenantId] });
    },
  });
  const set = (field: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const ready = !!form.contact_id && !!form.ccy.trim() && !!form.chain.trim() && !!form.address.trim();
  return (
    <div className="mb-4">
      {added && <p role="status" className="mb-2 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">{added}</p>}
      {!open ? (
        <button type="button" className="btn-primary" onClick={() => setOpen(true)}>
          Add a payout address
        </button>
      ) : (
        <form
          className="card grid max-w-xl gap-3"
          aria-label="Add a payout address"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready && !add.isPending) add.mutate();
          }}
        >
          <SelectField label="Supplier" required value={form.contact_id} onChange={set("contact_id")} error={contacts.error ? "The contacts could not be loaded." : null}>
            <option value="">{contacts.isLoading ? "Loading contacts…" : "Choose a supplier"}</option>
            {(contacts.data ?? []).map((c) => (
              <option key={c.contact_id} value={c.contact_id}>{c.name}</option>
            ))}
          </SelectField>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Currency" required value={form.ccy} onChange={set("ccy")} hint="As OKX names it, e.g. USDT" />
            <TextField label="Chain" required value={form.chain} onChange={set("chain")} hint="OKX's chain, e.g. USDT-TRC20" />
          </div>
          <TextField label="Address" required spellCheck={false} autoComplete="off" value={form.address} onChange={set("address")} hint="Checked per chain (checksums where the chain has them)." />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Tag or memo (optional)" value={form.tag} onChange={set("tag")} />
            <TextField label="Label (optional)" value={form.label} onChange={set("label")} hint="For people, e.g. Lumen hot wallet" />
          </div>
          <InlineError error={add.error} />
          <div className="flex gap-2">
            <button type="submit" className="btn-primary" disabled={!ready || add.isPending}>
              {add.isPending && <Spinner />} Add address
            </button>
            <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
