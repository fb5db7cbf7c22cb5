/** Render a component as the console does: query client, API client over a fake fetch, session, tenant. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { vi } from "vitest";
import { ApiContext } from "../api/ApiContext";
import { createApiClient } from "../api/client";
import type { Connection } from "../api/queries";
import type { Session } from "../auth/okta";
import { SessionContext } from "../auth/SessionContext";
import { TenantContext } from "../tenant/TenantContext";

export const TENANT = "tenant-1";

export const alice: Session = { sub: "alice@example.com", name: "Alice Adams", email: "alice@example.com", groups: ["finance"], scopes: ["payments:write", "records:read", "records:write", "ask", "xero:connect"] };
export const bob: Session = { sub: "bob@example.com", name: "Bob Baker", email: "bob@example.com", groups: ["approvers"], scopes: ["payments:approve", "records:read", "ask"] };

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Route = (call: Call) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>;

/** A fake API: `routes["POST /tenants/tenant-1/payments"]` answers that call; every call is kept. */
export function fakeApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  const fetcher = vi.fn(async (input: RequestInfo | URL) => {
    const request = input as Request;
    const url = new URL(request.url);
    const text = await request.text();
    const call: Call = { method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    if (!route) return new Response(JSON.stringify({ error: { code: "not_found", message: `no fake for ${call.method} ${call.path}`, details: [] } }), { status: 404, headers: { "content-type": "application/json" } });
    const answer = await route(call);
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { "content-type": "application/json" } });
  });
  return { calls, fetcher };
}

export const connection: Connection = {
  tenant_id: TENANT,
  tenant_name: "Demo Company (NZ)",
  tenant_type: "ORGANISATION",
  kind: "oauth",
  status: "active",
  scopes: [],
  missing_scopes: [],
  access_token_expires_at: null,
  refresh_token_age_days: 0,
  connected_by: "alice@example.com",
  connected_at: "2026-12-01T10:00:00+00:00",
};

export function renderPage(element: ReactElement, options: { session?: Session | null; fetcher: typeof fetch; path?: string; route?: string; onUnauthorized?: () => void; connections?: Connection[] }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const api = createApiClient("http://api.test", { accessToken: async () => "token-1", onUnauthorized: options.onUnauthorized ?? (() => undefined) }, options.fetcher);
  const connections = options.connections ?? [connection];
  const tenants = { connections, current: connections[0] ?? null, select: () => undefined, loading: false, error: null, refetch: () => undefined };
  return render(
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={api}>
        <SessionContext.Provider value={options.session === undefined ? alice : options.session}>
          <TenantContext.Provider value={tenants}>
            <MemoryRouter initialEntries={[options.path ?? "/"]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
              <Routes>
                <Route path={options.route ?? "*"} element={element} />
              </Routes>
            </MemoryRouter>
          </TenantContext.Provider>
        </SessionContext.Provider>
      </ApiContext.Provider>
    </QueryClientProvider>,
  );
}
