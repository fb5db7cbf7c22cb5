import { Link, Outlet } from "react-router-dom";
import { EmptyState, ErrorState, PageLoading } from "../components/States";
import { useTenants } from "./TenantContext";

/** Pages about an organisation's books need a current one. */
export function RequireTenant() {
  const { current, loading, error, refetch } = useTenants();
  if (loading) return <PageLoading label="Loading your organisations…" />;
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!current)
    return (
      <EmptyState title="No Xero organisation is connected yet">
        <p>
          Connect one on the <Link to="/organisations" className="link">Organisations</Link> page to see its invoices,
          bills and payments.
        </p>
      </EmptyState>
    );
  return <Outlet context={current} />;
}
