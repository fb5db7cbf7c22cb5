import { toRelativeUrl, type OktaAuth } from "@okta/okta-auth-js";
import { LoginCallback, Security } from "@okta/okta-react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, useMemo, type ComponentType, type LazyExoticComponent, type ReactNode } from "react";
import { BrowserRouter, Route, Routes, useNavigate } from "react-router-dom";
import { ApiContext } from "./api/ApiContext";
import { createApiClient, retryDelay, shouldRetry } from "./api/client";
import { RequiredAuth } from "./auth/RequiredAuth";
import { SessionProvider } from "./auth/SessionContext";
import { CALLBACK_PATH } from "./auth/okta";
import type { RuntimeConfig } from "./config";
import { Layout } from "./components/Layout";
import { ErrorState, PageLoading } from "./components/States";
import { RequireTenant } from "./tenant/RequireTenant";
import { TenantProvider } from "./tenant/TenantContext";

// Every page is its own chunk: the first load carries only the shell and sign-in.
const Dashboard = lazy(() => import("./pages/Dashboard"));
const Organisations = lazy(() => import("./pages/Organisations"));
const NotFound = lazy(() => import("./pages/NotFound"));

// The pages of the current organisation, by their path.
const TENANT_PAGES: [path: string, Page: LazyExoticComponent<ComponentType>][] = [
  ["/invoices", lazy(() => import("./pages/Invoices"))],
  ["/invoices/new", lazy(() => import("./pages/NewInvoice"))],
  ["/invoices/:invoiceId", lazy(() => import("./pages/InvoiceDetail"))],
  ["/invoices/:invoiceId/pay", lazy(() => import("./pages/PayInvoice"))],
  ["/pay/batch", lazy(() => import("./pages/BatchPay"))],
  ["/approvals", lazy(() => import("./pages/Approvals"))],
  ["/payments", lazy(() => import("./pages/Payments"))],
  ["/payments/:paymentId", lazy(() => import("./pages/PaymentDetail"))],
  ["/ask", lazy(() => import("./pages/Ask"))],
  ["/payout-addresses", lazy(() => import("./pages/PayoutAddresses"))],
  ["/mirrors", lazy(() => import("./pages/Mirrors"))],
  ["/webhooks", lazy(() => import("./pages/Webhooks"))],
];

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: shouldRetry,
        retryDelay,
      },
      mutations: { retry: false },
    },
  });
}

function Providers({ oktaAuth, config, children }: { oktaAuth: OktaAuth; config: RuntimeConfig; children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useMemo(makeQueryClient, []);
  const api = useMemo(() => {
    let redirecting = false;
    return createApiClient(config.apiUrl, {
      accessToken: async () => (await oktaAuth.getOrRenewAccessToken()) ?? null,
      onUnauthorized: () => {
        if (redirecting) return;
        redirecting = true;
        // Keep where the person was: drafts are in sessionStorage, the page comes back.
        oktaAuth.setOriginalUri(toRelativeUrl(window.location.href, window.location.origin));
        void oktaAuth.tokenManager.clear();
        void oktaAuth.signInWithRedirect();
      },
    });
  }, [config.apiUrl, oktaAuth]);
  const restoreOriginalUri = async (_auth: OktaAuth, originalUri: string) => {
    navigate(toRelativeUrl(originalUri || "/", window.location.origin), { replace: true });
  };
  return (
    <Security oktaAuth={oktaAuth} restoreOriginalUri={restoreOriginalUri}>
      <QueryClientProvider client={queryClient}>
        <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
      </QueryClientProvider>
    </Security>
  );
}

function CallbackError({ error }: { error: Error }) {
  return (
    <main className="mx-auto max-w-lg p-8">
      <h1 className="mb-4 text-xl font-bold">Sign-in did not complete</h1>
      <ErrorState error={error} title="Okta refused the sign-in" />
      <a href="/" className="link mt-4 inline-block">
        Try signing in again
      </a>
    </main>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path={CALLBACK_PATH} element={<LoginCallback errorComponent={CallbackError} loadingElement={<PageLoading label="Signing you in…" />} />} />
      <Route element={<RequiredAuth />}>
        <Route
          element={
            <SessionProvider>
              <TenantProvider>
                <Layout />
              </TenantProvider>
            </SessionProvider>
          }
        >
          <Route path="/organisations" element={<Organisations />} />
          <Route element={<RequireTenant />}>
            <Route index element={<Dashboard />} />
            {TENANT_PAGES.map(([path, Page]) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
          </Route>
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}

export function App({ oktaAuth, config }: { oktaAuth: OktaAuth; config: RuntimeConfig }) {
  return (
    <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Providers oktaAuth={oktaAuth} config={config}>
        <AppRoutes />
      </Providers>
    </BrowserRouter>
  );
}
