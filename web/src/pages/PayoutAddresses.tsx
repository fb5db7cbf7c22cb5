import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../api/ApiContext";
import { unwrap, type Schemas } from "../api/client";
import { useListChange } from "../api/queries";
import { useCan, useSession } from "../auth/SessionContext";
import { Badge } from "../components/Badge";
import { BusyButton, ConfirmDelete } from "../components/Buttons";
import { PageHeader } from "../components/Layout";
import { EmptyState, InlineError, PageLoading, QueryStates } from "../components/States";
import { AddPayoutAddress } from "../components/rails/AddPayoutAddress";
import { formatDateTime } from "../lib/dates";
import { useTenantId } from "../tenant/useTenant";

type Entry = Schemas["PayoutAddressOut"];

function EntryActions({ tenantId, entry }: { tenantId: string; entry: Entry }) {
  const api = useApi();
  const session = useSession();
  const canApprove = useCan("approve");
  const isAdmin = useCan("admin");
  const path = { tenantId, payoutAddressId: entry.payout_address_id };
  const book = ["payout-addresses", tenantId];
  const approve = useListChange(book, async () => unwrap(await api.POST("/tenants/{tenantId}/payout_addresses/{payoutAddressId}/approve", { params: { path } })));
  const remove = useListChange(book, async () => unwrap(await api.DELETE("/tenants/{tenantId}/payout_addresses/{payoutAddressId}", { params: { path } })));
  const pending = entry.status === "pending_approval";
  const ownEntry = !!session && entry.added_by === session.sub;
  const busy = approve.isPending || remove.isPending;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {pending && canApprove && !ownEntry && (
          <BusyButton className="btn-primary" busy={approve.isPending} disabled={busy} onClick={() => approve.mutate()}>
            Approve address
          </BusyButton>
        )}
        {isAdmin && entry.status !== "deleted" && <ConfirmDelete label="Delete this address" busy={remove.isPending} disabled={busy} onDelete={() => remove.mutate()} />}
      </div>
      {pending && ownEntry && <p className="text-sm text-slate-700" data-testid="own-address">You added this address: someone else with payments:approve must approve it.</p>}
      {pending && !canApprove && !ownEntry && <p className="text-sm text-slate-700">Waiting for an approver (payments:approve).</p>}
      <InlineError error={approve.error ?? remove.error} />
    </div>
  );
}

function EntryCard({ tenantId, entry }: { tenantId: string; entry: Entry }) {
  return (
    <li className="card flex flex-col gap-3 sm:flex-row sm:justify-between" aria-label={`${entry.contact_name ?? entry.contact_id}: ${entry.ccy} on ${entry.chain}`}>
      <div className="min-w-0 text-sm">
        <p className="flex flex-wrap items-center gap-2 font-semibold">
          {entry.contact_name ?? entry.contact_id} <Badge status={entry.status} />
        </p>
        <p className="text-slate-700">
          {entry.ccy} on {entry.chain}
          {entry.label ? ` · ${entry.label}` : ""}
        </p>
        <p className="font-mono text-xs [overflow-wrap:anywhere]">{entry.address}</p>
        {entry.tag && <p className="text-xs">Tag or memo: <span className="font-mono">{entry.tag}</span></p>}
        <p className="text-xs text-slate-600">
          Added by {entry.added_by} · {formatDateTime(entry.added_at)}
          {entry.approved_by ? ` · approved by ${entry.approved_by} · ${formatDateTime(entry.approved_at)}` : ""}
          {entry.replaces ? " · changes an approved address" : ""}
        </p>
      </div>
      <div className="sm:max-w-xs">
        <EntryActions tenantId={tenantId} entry={entry} />
      </div>
    </li>
  );
}

/** The crypto payout address book (OKX): only approved addresses are paid; four eyes on each. */
export default function PayoutAddresses() {
  const tenantId = useTenantId();
  const api = useApi();
  const isAdmin = useCan("admin");
  const [showAll, setShowAll] = useState(false);
  const book = useQuery({
    queryKey: ["payout-addresses", tenantId],
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/payout_addresses", { params: { path: { tenantId } } })).payout_addresses,
  });
  const entries = (book.data ?? []).filter((e) => showAll || (e.status !== "deleted" && e.status !== "superseded"));
  return (
    <section>
      <PageHeader title="Payout addresses" />
      <p className="mb-4 text-sm text-slate-700">
        Crypto payments through OKX go only to an address an administrator added and a second person approved. A changed address is a new entry that needs its own approval.
      </p>
      {isAdmin && <AddPayoutAddress tenantId={tenantId} />}
      <label className="mb-3 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show superseded and deleted addresses
      </label>
      <QueryStates
        query={book}
        loading={<PageLoading label="Loading payout addresses…" />}
        isEmpty={entries.length === 0}
        empty={<EmptyState title="No payout addresses yet">{isAdmin ? "Add a supplier's address above." : "An administrator adds them."}</EmptyState>}
      >
        <ul className="flex flex-col gap-3">
          {entries.map((entry) => (
            <EntryCard key={entry.payout_address_id} tenantId={tenantId} entry={entry} />
          ))}
        </ul>
      </QueryStates>
    </section>
  );
}
