import type { Schemas } from "../../api/client";
import { formatDate } from "../../lib/dates";
import { STATUSES } from "../../lib/mirrors";
import { FactList, type Fact } from "../Section";

type Mirror = Schemas["MirrorOut"];

const statusLabel = (status: string) => STATUSES.find((s) => s.value === status)?.label.toLowerCase() ?? status.toLowerCase();

function MapTable({ caption, map, from, into }: { caption: string; map: Record<string, string>; from: string; into: string }) {
  return (
    <table className="w-auto border-collapse text-left font-mono">
      <caption className="sr-only">{caption}</caption>
      <thead className="sr-only">
        <tr>
          <th scope="col" className="pr-3 font-medium">{from}</th>
          <th scope="col" className="pr-3 font-medium">{into}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(map).map(([source, target]) => (
          <tr key={source}>
            <td className="pr-2">{source}</td>
            <td>→ {target}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a mirror copies and how: its statuses, maps, prefixes and contact, as it was created. */
export function MirrorSettings({ mirror }: { mirror: Mirror }) {
  const from = mirror.source_name ?? mirror.source_tenant_id;
  const into = mirror.target_name ?? mirror.target_tenant_id;
  const mapOr = (caption: string, map: Record<string, string>, otherwise: string) =>
    Object.keys(map).length ? <MapTable caption={caption} map={map} from={`In ${from}`} into={`In ${into}`} /> : otherwise;
  const rows: Fact[] = [
    ["Copies", `${mirror.types.map((t) => (t === "ACCREC" ? "sales invoices" : "bills")).join(" and ")} once ${mirror.statuses.map(statusLabel).join(" or ")}${mirror.flip_type ? "; a sale becomes a bill and back" : ""}`],
    ["Account codes", mapOr("Account codes", mirror.account_map, "kept as they are")],
    ["Tax types", mapOr("Tax types", mirror.tax_map, `none mapped: ${into} applies each account's default tax`)],
    ["Numbers", mirror.number_prefix ? `prefixed ${mirror.number_prefix}` : "kept as they are"],
    ["References", mirror.reference_prefix ? `prefixed ${mirror.reference_prefix}` : "kept as they are"],
    ["Contact", mirror.contact_name ? `every copy names ${mirror.contact_name}` : `each copy's own${mirror.create_missing_contacts ? ", created when missing" : "; waits when missing"}`],
    ["Items", mirror.create_missing_items ? "created when missing" : "a document waits for a missing item"],
  ];
  if (mirror.backfill_from) rows.push(["Existing ones", `copied from ${formatDate(mirror.backfill_from)}`]);
  return (
    <FactList
      facts={rows}
      className="grid gap-x-4 gap-y-1 text-slate-700 sm:grid-cols-[8rem_1fr]"
      termClassName="font-medium text-slate-600"
      valueClassName="mb-1 first-letter:uppercase sm:mb-0"
    />
  );
}
