import { useBankAccounts } from "../api/queries";
import { SelectField } from "./Field";

export function BankAccountSelect({ tenantId, value, onChange, label = "Bank account" }: { tenantId: string; value: string; onChange: (id: string) => void; label?: string }) {
  const accounts = useBankAccounts(tenantId);
  const list = accounts.data ?? [];
  return (
    <SelectField
      label={label}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={accounts.error ? "The bank accounts could not be loaded." : !accounts.isLoading && list.length === 0 ? "This organisation has no active bank account in Xero." : null}
    >
      <option value="">{accounts.isLoading ? "Loading bank accounts…" : "Choose a bank account"}</option>
      {list.map((a) => (
        <option key={a.account_id} value={a.account_id}>
          {a.name}
          {a.code ? ` (${a.code})` : ""}
          {a.currency_code ? ` · ${a.currency_code}` : ""}
        </option>
      ))}
    </SelectField>
  );
}
