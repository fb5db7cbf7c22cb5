/** Query keys, the reads every page shares, and changes that refresh what was read. */
import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { unwrap, type Schemas } from "./client";
import { useApi } from "./ApiContext";

export type Connection = Schemas["ConnectionOut"];
export type Invoice = Schemas["Invoice"];
export type Payment = Schemas["PaymentReadOut"];
export type PaymentDetail = Schemas["PaymentDetailOut"];
export type Account = Schemas["Account"];

export const keys = {
  connections: ["connections"] as const,
  invoices: (tenant: string, filters: object) => ["invoices", tenant, filters] as const,
  invoice: (tenant: string, id: string) => ["invoice", tenant, id] as const,
  payments: (tenant: string, filters: object) => ["payments", tenant, filters] as const,
  payment: (tenant: string, id: string) => ["payment", tenant, id] as const,
  accounts: (tenant: string) => ["accounts", tenant] as const,
};

export function useConnections() {
  const api = useApi();
  return useQuery({
    queryKey: keys.connections,
    queryFn: async () => unwrap(await api.GET("/xero/connections")).connections,
  });
}

/** The bank accounts a payment can be made from or into. */
export function useBankAccounts(tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.accounts(tenant),
    queryFn: async () =>
      unwrap(
        await api.GET("/tenants/{tenantId}/accounts", {
          params: { path: { tenantId: tenant }, query: { type: "BANK", status: "ACTIVE" } },
        }),
      ).accounts,
    staleTime: 5 * 60_000,
  });
}

/** An organisation's chart of accounts (active accounts, codes and their default tax types). */
export function useChartOfAccounts(tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: [...keys.accounts(tenant), "chart"],
    queryFn: async () =>
      unwrap(
        await api.GET("/tenants/{tenantId}/accounts", {
          params: { path: { tenantId: tenant }, query: { status: "ACTIVE", page_size: 1000 } },
        }),
      ).accounts,
    enabled: !!tenant,
    staleTime: 5 * 60_000,
  });
}

/** A change to what is read under `listKey` (an add, a delete): once it is made, that is read again. */
export function useListChange<T, V = void>(listKey: QueryKey, mutationFn: (variables: V) => Promise<T>, onSuccess?: (answer: T) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (answer) => {
      onSuccess?.(answer);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
}
