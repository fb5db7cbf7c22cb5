import type { ReactNode } from "react";
import { ApiError } from "../api/client";

export function Spinner() {
  return <span aria-hidden="true" className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-r-transparent align-[-2px]" />;
}

export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 p-8 text-slate-600">
      <Spinner /> {label}
    </div>
  );
}

/** What went wrong, in the API's words (error.message), never a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The API could not be reached. Check your connection and try again.";
  if (error instanceof Error && error.message && !error.message.includes("\n    at ")) return error.message;
  return "Something went wrong. Try again.";
}

export function ErrorState({ error, onRetry, title = "This could not be loaded" }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-red-900">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 text-sm">{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="btn-secondary mt-3">
          Try again
        </button>
      )}
    </div>
  );
}

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {errorMessage(error)}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-semibold text-slate-800">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
    </div>
  );
}

/** Loading inside a card or a section, where a whole-page spinner would be too much. */
export function InlineLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="text-sm text-slate-600">
      <Spinner /> {label}
    </p>
  );
}

/** What a list's read tells while it is not (yet) a list: loading, failed (with a retry), empty. */
export interface Loadable {
  isLoading: boolean;
  error: unknown;
  refetch: () => unknown;
}

export function QueryStates({
  query,
  loading,
  errorTitle,
  isEmpty,
  empty,
  children,
}: {
  query: Loadable;
  loading: ReactNode;
  errorTitle?: string;
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (query.isLoading) return <>{loading}</>;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title={errorTitle} />;
  return <>{isEmpty ? empty : children}</>;
}

/** What the read of one record that may not exist yet (read as null) tells: loading, failed, none yet, or the record. */
export function RecordStates<T>({ query, name, none, children }: { query: Loadable & { data?: T | null }; name: string; none: ReactNode; children: (record: T) => ReactNode }) {
  const record = query.data;
  return (
    <QueryStates query={query} loading={<InlineLoading label={`Loading the ${name}…`} />} errorTitle={`The ${name} could not be loaded`} isEmpty={!record} empty={none}>
      {record ? children(record) : null}
    </QueryStates>
  );
}
