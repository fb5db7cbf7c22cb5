import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useConnections, type Connection } from "../api/queries";

export interface TenantState {
  connections: Connection[];
  current: Connection | null;
  select: (tenantId: string) => void;
  loading: boolean;
  error: unknown;
  refetch: () => void;
}

export const TenantContext = createContext<TenantState | null>(null);
const STORAGE_KEY = "xb.tenant";

/** The connected organisations and the current one (kept across visits). */
export function TenantProvider({ children }: { children: ReactNode }) {
  const query = useConnections();
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(STORAGE_KEY));
  const connections = useMemo(() => query.data ?? [], [query.data]);
  const current = useMemo(
    () => connections.find((c) => c.tenant_id === selected) ?? connections.find((c) => c.status === "active") ?? connections[0] ?? null,
    [connections, selected],
  );
  useEffect(() => {
    if (current && current.tenant_id !== selected) setSelected(current.tenant_id);
  }, [current, selected]);
  const value: TenantState = {
    connections,
    current,
    select: (tenantId) => {
      localStorage.setItem(STORAGE_KEY, tenantId);
      setSelected(tenantId);
    },
    loading: query.isLoading,
    error: query.error,
    refetch: () => void query.refetch(),
  };
  return <TenantContext.Provider value={value}>{children}</TenantContext.Provider>;
}

export function useTenants(): TenantState {
  const value = useContext(TenantContext);
  if (!value) throw new Error("useTenants outside TenantProvider");
  return value;
}
