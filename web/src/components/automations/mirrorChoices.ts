import { useMemo } from "react";
import { useChartOfAccounts, type Account } from "../../api/queries";
import type { Choice } from "./MapRows";

export interface OrganisationCodes {
  accounts: Choice[];
  taxTypes: Choice[];
  /** Account codes the chart has; empty while loading or when it could not be read. */
  known: Set<string>;
  /** Account code → the account's name. */
  names: Map<string, string>;
  failed: boolean;
}

/** Tax types come from the accounts (the API lists no tax rates): each one an account defaults to. */
function taxTypes(accounts: Account[]): Choice[] {
  const used = new Map<string, string[]>();
  for (const a of accounts) if (a.tax_type && a.code) used.set(a.tax_type, [...(used.get(a.tax_type) ?? []), a.code]);
  return [...used.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, codes]) => ({ value, label: `default of account${codes.length > 1 ? "s" : ""} ${codes.slice(0, 4).join(", ")}${codes.length > 4 ? "…" : ""}` }));
}

/** An organisation's account codes and tax types, offered as choices in the maps. */
export function useOrganisationCodes(tenantId: string): OrganisationCodes {
  const chart = useChartOfAccounts(tenantId);
  return useMemo(() => {
    const accounts = (chart.data ?? []).filter((a) => a.code);
    return {
      accounts: accounts.map((a) => ({ value: a.code!, label: a.name ?? "" })),
      taxTypes: taxTypes(accounts),
      known: new Set(accounts.map((a) => a.code!)),
      names: new Map(accounts.map((a) => [a.code!, a.name ?? ""])),
      failed: !!chart.error,
    };
  }, [chart.data, chart.error]);
}
