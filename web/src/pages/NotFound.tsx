import { Link } from "react-router-dom";
import { EmptyState } from "../components/States";

export default function NotFound() {
  return (
    <section>
      <h1 className="mb-4 text-2xl font-bold">Page not found</h1>
      <EmptyState title="There is nothing at this address">
        <Link to="/" className="link">
          Go to the dashboard
        </Link>
      </EmptyState>
    </section>
  );
}
