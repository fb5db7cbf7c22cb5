import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../api/ApiContext";
import { unwrap, type Schemas } from "../../api/client";
import { useListChange } from "../../api/queries";
import { bindFields, SelectField, SubmitForm, TextField } from "../Field";

const EMPTY = { contact_id: "", ccy: "USDT", chain: "USDT-TRC20", address: "", tag: "", label: "" };

/** What the form asks the API for: its texts trimmed, an empty tag or label as none. */
function toBody(form: typeof EMPTY): Schemas["PayoutAddressIn"] {
  return { contact_id: form.contact_id, ccy: form.ccy.trim(), chain: form.chain.trim(), address: form.address.trim(), tag: form.tag.trim() || null, label: form.label.trim() || null };
}

/** An administrator adds a supplier's address; it is payable only once someone else approves it. */
export function AddPayoutAddress({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [added, setAdded] = useState<string | null>(null);
  const contacts = useQuery({
    queryKey: ["contacts", tenantId],
    enabled: open,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/contacts", { params: { path: { tenantId }, query: { page_size: 1000 } } })).contacts,
  });
  const body = toBody(form);
  const add = useListChange(
    ["payout-addresses", tenantId],
    async () => unwrap(await api.POST("/tenants/{tenantId}/payout_addresses", { params: { path: { tenantId } }, body })),
    (entry) => {
      setForm(EMPTY);
      setOpen(false);
      setAdded(`Added for ${entry.contact_name ?? "the supplier"}: it waits for a second person's approval.`);
    },
  );
  const field = bindFields(form, setForm);
  const ready = !!body.contact_id && !!body.ccy && !!body.chain && !!body.address;
  return (
    <div className="mb-4">
      {added && <p role="status" className="mb-2 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">{added}</p>}
      {!open ? (
        <button type="button" className="btn-primary" onClick={() => setOpen(true)}>
          Add a payout address
        </button>
      ) : (
        <SubmitForm className="card grid max-w-xl gap-3" aria-label="Add a payout address" mutation={add} ready={ready} submit="Add address" onCancel={() => setOpen(false)}>
          <SelectField label="Supplier" required {...field("contact_id")} error={contacts.error ? "The contacts could not be loaded." : null}>
            <option value="">{contacts.isLoading ? "Loading contacts…" : "Choose a supplier"}</option>
            {(contacts.data ?? []).map((c) => (
              <option key={c.contact_id} value={c.contact_id}>{c.name}</option>
            ))}
          </SelectField>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Currency" required {...field("ccy")} hint="As OKX names it, e.g. USDT" />
            <TextField label="Chain" required {...field("chain")} hint="OKX's chain, e.g. USDT-TRC20" />
          </div>
          <TextField label="Address" required spellCheck={false} autoComplete="off" {...field("address")} hint="Checked per chain (checksums where the chain has them)." />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Tag or memo (optional)" {...field("tag")} />
            <TextField label="Label (optional)" {...field("label")} hint="For people, e.g. Lumen hot wallet" />
          </div>
        </SubmitForm>
      )}
    </div>
  );
}
