import type { ReactNode } from "react";
import { Section } from "../Section";
import { EmptyState, InlineLoading, QueryStates, type Loadable } from "../States";

/**
 * One kind of automation on the Webhooks & alerts page (webhook endpoints, alert channels): `children` first
 * (the form that adds one), then a card for each there is, or "No … yet".
 */
export function AutomationList<T>({ title, list, loading, card, children }: { title: string; list: Loadable & { data?: T[] }; loading: string; card: (item: T) => ReactNode; children: ReactNode }) {
  const items = list.data ?? [];
  return (
    <Section title={title} className="flex flex-col gap-3" headingClassName="text-lg font-semibold">
      {children}
      <QueryStates query={list} loading={<InlineLoading label={loading} />} isEmpty={items.length === 0} empty={<EmptyState title={`No ${title.toLowerCase()} yet`} />}>
        <ul className="flex flex-col gap-3">{items.map(card)}</ul>
      </QueryStates>
    </Section>
  );
}
