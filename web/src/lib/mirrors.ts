/** A new mirror's form as data: its rows, what is wrong with them, the body the API takes, and
 * the API's refusals put back next to the field they are about. */
import { ApiError, type Schemas } from "../api/client";

export type MirrorBody = Schemas["MirrorCreate"];
export type InvoiceType = MirrorBody["types"][number];
export type SourceStatus = NonNullable<MirrorBody["statuses"]>[number];

/** The source's statuses, in Xero's order, with the words a finance person uses. */
export const STATUSES: { value: SourceStatus; label: string }[] = [
  { value: "DRAFT", label: "Draft" },
  { value: "SUBMITTED", label: "Awaiting approval" },
  { value: "AUTHORISED", label: "Awaiting payment (authorised)" },
  { value: "PAID", label: "Paid" },
];
export const DEFAULT_STATUSES: SourceStatus[] = ["AUTHORISED", "PAID"];

/** One line of a map: a code in the source and the code it becomes in the target. */
export interface MapRow {
  id: number;
  source: string;
  target: string;
}

export type MapKind = "account_map" | "tax_map";

/** The API's patterns (shared/xero_bridge/mirrors/models.py: AccountCode, TaxType). */
export const MAP_RULES: Record<MapKind, { pattern: RegExp; maxLength: number; noun: string; one: string; code: string; rule: string }> = {
  account_map: { pattern: /^[A-Za-z0-9._-]{1,10}$/, maxLength: 10, noun: "account", one: "an account", code: "an account code", rule: "up to 10 letters, digits, dots, dashes or underscores" },
  tax_map: { pattern: /^[A-Za-z0-9_]{1,50}$/, maxLength: 50, noun: "tax type", one: "a tax type", code: "a tax type", rule: "letters, digits or underscores only, e.g. OUTPUT2" },
};

export interface MirrorFormState {
  target: string;
  types: InvoiceType[];
  statuses: SourceStatus[];
  flip: boolean;
  contacts: boolean;
  items: boolean;
  numberPrefix: string;
  referencePrefix: string;
  contactName: string;
  backfill: string;
  account_map: MapRow[];
  tax_map: MapRow[];
}

export const EMPTY_FORM: MirrorFormState = {
  target: "",
  types: ["ACCREC"],
  statuses: DEFAULT_STATUSES,
  flip: false,
  contacts: true,
  items: true,
  numberPrefix: "",
  referencePrefix: "",
  contactName: "",
  backfill: "",
  account_map: [],
  tax_map: [],
};

let nextRowId = 1;
export const newRow = (): MapRow => ({ id: nextRowId++, source: "", target: "" });

/** A problem per side of a row (keyed by row id); a row left blank on both sides is ignored.
 * `complete: false` (while a person is still typing) leaves out the side not filled in yet. */
export type RowProblems = Record<number, { source?: string; target?: string }>;

export function rowProblems(kind: MapKind, rows: MapRow[], { complete = true } = {}): RowProblems {
  const { pattern, noun, one, code, rule } = MAP_RULES[kind];
  const refused = `Not ${code}: ${rule}`;
  const problems: RowProblems = {};
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const source = row.source.trim();
    const target = row.target.trim();
    if (!source && !target) return;
    const found: { source?: string; target?: string } = {};
    const first = seen.get(source.toUpperCase());
    if (!source) found.source = complete ? `Enter the ${noun} to map` : undefined;
    else if (!pattern.test(source)) found.source = refused;
    else if (first !== undefined) found.source = `${source} is already mapped in row ${first + 1}: ${one} maps to one target only`;
    else seen.set(source.toUpperCase(), index);
    if (!target) found.target = complete ? `Enter what ${source || "it"} becomes in the target` : undefined;
    else if (!pattern.test(target)) found.target = refused;
    if (found.source || found.target) problems[row.id] = found;
  });
  return problems;
}

/** The map the API takes: `{source: target}`, blank rows left out. */
export function toMap(rows: MapRow[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const row of rows) if (row.source.trim() && row.target.trim()) map[row.source.trim()] = row.target.trim();
  return map;
}

/** Prefixes have no space at either end (the API's pattern): what is typed, trimmed, or null. */
const optional = (text: string) => text.trim() || null;

export function toBody(form: MirrorFormState): MirrorBody {
  return {
    target_tenant_id: form.target,
    types: form.types,
    statuses: form.statuses,
    flip_type: form.flip,
    account_map: toMap(form.account_map),
    tax_map: toMap(form.tax_map),
    create_missing_contacts: form.contacts,
    create_missing_items: form.items,
    number_prefix: optional(form.numberPrefix),
    reference_prefix: optional(form.referencePrefix),
    contact_name: optional(form.contactName),
    backfill_from: form.backfill || null,
  };
}

/** Where the API's `details` ({field, problem}) go: a field of the form, a map's row, or the rest. */
export interface ServerProblems {
  fields: Partial<Record<string, string>>;
  rows: Record<MapKind, Record<string, string>>;
  other: string[];
}

const FIELD_OF: Record<string, string> = {
  target_tenant_id: "target",
  types: "types",
  statuses: "statuses",
  number_prefix: "numberPrefix",
  reference_prefix: "referencePrefix",
  contact_name: "contactName",
  backfill_from: "backfill",
};

export function serverProblems(error: unknown): ServerProblems {
  const found: ServerProblems = { fields: {}, rows: { account_map: {}, tax_map: {} }, other: [] };
  if (!(error instanceof ApiError)) return found;
  for (const detail of error.details) {
    const { field, problem } = (detail ?? {}) as { field?: unknown; problem?: unknown };
    if (typeof problem !== "string") continue;
    const name = typeof field === "string" ? field : "";
    const map = (["account_map", "tax_map"] as const).find((kind) => name === kind || name.startsWith(`${kind}.`));
    if (map) {
      // "account_map.200" (the target lacks the code) or "account_map.2 00.[key]" (a bad key).
      const source = name.slice(map.length + 1).replace(/\.\[key\]$/, "");
      if (source) found.rows[map][source] = problem;
      else found.fields[map] = problem;
      continue;
    }
    const key = FIELD_OF[name.split(".")[0] ?? ""];
    if (key) found.fields[key] = found.fields[key] ? `${found.fields[key]}; ${problem}` : problem;
    else found.other.push(name ? `${name}: ${problem}` : problem);
  }
  return found;
}
