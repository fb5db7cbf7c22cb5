import { useTenants } from "./TenantContext";

/** The current organisation's id (inside RequireTenant there always is one). */
export function useTenantId(): string {
  const { current } = useTenants();
  if (!current) throw new Error("useTenantId outside RequireTenant");
  return current.tenant_id;
}
