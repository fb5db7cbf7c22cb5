import { useId, type ReactNode } from "react";

/** A region named by its heading, by default a card with a small one. */
export function Section({ title, className = "card", headingClassName = "font-semibold", children }: { title: ReactNode; className?: string; headingClassName?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className={className} aria-labelledby={id}>
      <h2 id={id} className={headingClassName}>{title}</h2>
      {children}
    </section>
  );
}

export type Fact = [term: string, value: ReactNode];

/** Terms and their values, two columns. */
export function FactList({
  facts,
  className,
  termClassName = "text-slate-600",
  valueClassName = "[overflow-wrap:anywhere]",
  testId,
}: {
  facts: Fact[];
  className: string;
  termClassName?: string;
  valueClassName?: string;
  testId?: string;
}) {
  return (
    <dl className={className} data-testid={testId}>
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className={termClassName}>{term}</dt>
          <dd className={valueClassName}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A list shown as a table filling a card; the caption names it for screen readers. */
export function TableCard({ caption, head, children }: { caption: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="card overflow-x-auto p-0">
      <table className="table-base">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
