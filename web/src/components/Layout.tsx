import { useOktaAuth } from "@okta/okta-react";
import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useId } from "react";
import { NavLink, Outlet, useLocation } from "react-router-dom";
import { can, type Capability } from "../auth/okta";
import { useSession } from "../auth/SessionContext";
import { useTenants } from "../tenant/TenantContext";
import { ErrorBoundary } from "./ErrorBoundary";
import { PageLoading } from "./States";

const NAV: { to: string; label: string; needs?: Capability }[] = [
  { to: "/", label: "Dashboard", needs: "read" },
  { to: "/invoices", label: "Invoices & bills", needs: "read" },
  { to: "/approvals", label: "Approvals", needs: "approve" },
  { to: "/payments", label: "Payments", needs: "seePayments" },
  { to: "/ask", label: "Ask", needs: "ask" },
  { to: "/payout-addresses", label: "Payout addresses", needs: "payoutAddresses" },
  { to: "/mirrors", label: "Mirrors", needs: "admin" },
  { to: "/webhooks", label: "Webhooks & alerts", needs: "admin" },
  { to: "/organisations", label: "Organisations" },
];

function OrganisationSwitcher() {
  const { connections, current, select } = useTenants();
  const id = useId();
  if (connections.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-brand-100">
        Organisation
      </label>
      <select
        id={id}
        value={current?.tenant_id ?? ""}
        onChange={(event) => select(event.target.value)}
        className="max-w-[14rem] rounded-md border border-brand-600 bg-brand-800 px-2 py-1 text-sm text-white focus:outline-none focus-visible:ring-2 focus-visible:ring-white"
      >
        {connections.map((c) => (
          <option key={c.tenant_id} value={c.tenant_id}>
            {c.tenant_name ?? c.tenant_id}
            {c.status !== "active" ? " (needs reconnect)" : ""}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserMenu() {
  const session = useSession();
  const { oktaAuth } = useOktaAuth();
  const queryClient = useQueryClient();
  if (!session) return null;
  const signOut = async () => {
    queryClient.clear();
    sessionStorage.clear();
    await oktaAuth.signOut();
  };
  return (
    <div className="flex items-center gap-3">
      <div className="text-right leading-tight" aria-label="Signed in as">
        <p className="text-sm font-semibold text-white" data-testid="user-name">
          {session.name}
        </p>
        <p className="text-xs text-brand-100" data-testid="user-groups">
          {session.groups.length ? session.groups.join(", ") : "no groups"}
        </p>
      </div>
      <button type="button" onClick={() => void signOut()} className="rounded-md border border-brand-100/40 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-white">
        Sign out
      </button>
    </div>
  );
}

export function Layout() {
  const session = useSession();
  const location = useLocation();
  const items = NAV.filter((item) => !item.needs || can(session, item.needs));
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="bg-brand-700">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <p className="text-lg font-bold text-white">Xero Bridge</p>
          <div className="flex flex-wrap items-center gap-4">
            <OrganisationSwitcher />
            <UserMenu />
          </div>
        </div>
        <nav aria-label="Main" className="mx-auto max-w-6xl overflow-x-auto px-2">
          {/* At phone width the tabs wrap into rows of pills: every page stays in view. */}
          <ul className="flex flex-wrap gap-1 whitespace-nowrap pb-2 sm:flex-nowrap sm:pb-0">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  end={item.to === "/"}
                  className={({ isActive }) =>
                    `block rounded-md px-3 py-2 sm:rounded-b-none text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-white ${
                      isActive ? "bg-slate-50 text-brand-800" : "text-white hover:bg-brand-800"
                    }`
                  }
                >
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold text-slate-900">{title}</h1>
      {children && <div className="flex flex-wrap items-center gap-2">{children}</div>}
    </div>
  );
}
