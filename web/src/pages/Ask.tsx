import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../api/ApiContext";
import { unwrap, type Schemas } from "../api/client";
import { PageHeader } from "../components/Layout";
import { InlineError, Spinner } from "../components/States";
import { useDraft } from "../lib/drafts";
import { useTenantId } from "../tenant/useTenant";

type Answer = Schemas["AskAnswer"];
interface Turn {
  question: string;
  answer: Answer;
}

function recordLink(record: Schemas["SourceRecord"]) {
  const label = record.label || record.id.slice(0, 8);
  if (record.type === "invoice" || record.type === "bill") return <Link to={`/invoices/${record.id}`} className="link">{label}</Link>;
  if (record.type === "contact") return <Link to={`/invoices?contact_id=${record.id}`} className="link">{label}</Link>;
  if (record.type === "payment") return <Link to={`/payments`} className="link">{label}</Link>;
  return <span>{label}</span>;
}

function Sources({ sources }: { sources: Answer["sources"] }) {
  if (!sources.length) return <p className="text-xs text-slate-600">No Xero data was needed for this answer.</p>;
  return (
    <details className="text-sm" open>
      <summary className="cursor-pointer font-medium text-slate-700">Sources ({sources.length})</summary>
      <ul className="mt-1 flex flex-col gap-1" aria-label="Sources">
        {sources.map((source, i) => (
          <li key={i}>
            <span className="font-mono text-xs text-slate-600">{source.tool.replace(/_/g, " ")}</span>
            {source.records.length > 0 && (
              <span>
                {": "}
                {source.records.map((r, j) => (
                  <span key={r.id}>
                    {j > 0 && ", "}
                    {recordLink(r)}
                  </span>
                ))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

export default function Ask() {
  const tenantId = useTenantId();
  const api = useApi();
  const [state, setState, clear] = useDraft<{ question: string; turns: Turn[]; conversationId: string | null }>(`ask:${tenantId}`, { question: "", turns: [], conversationId: null });
  const [asked, setAsked] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const ask = useMutation({
    mutationFn: async (question: string) =>
      unwrap(await api.POST("/tenants/{tenantId}/ask", { params: { path: { tenantId } }, body: { question, conversation_id: state.conversationId } })),
    onSuccess: (answer, question) => {
      setState((s) => ({ question: "", turns: [...s.turns, { question, answer }], conversationId: answer.conversation_id }));
      setAsked(null);
    },
    onError: () => setAsked(null),
  });
  useEffect(() => {
    // A statement, not an expression: newer browsers return a promise from scrollIntoView,
    // which React would take for a cleanup function.
    end.current?.scrollIntoView?.({ block: "end" });
  }, [state.turns.length, asked]);
  const submit = () => {
    const question = state.question.trim();
    if (!question || ask.isPending) return;
    setAsked(question);
    ask.mutate(question);
  };
  return (
    <section className="flex flex-col gap-4">
      <PageHeader title="Ask about the books">
        {state.turns.length > 0 && (
          <button type="button" className="btn-secondary" onClick={() => { clear(); setState({ question: "", turns: [], conversationId: null }); }}>
            New conversation
          </button>
        )}
      </PageHeader>
      <div role="log" aria-label="Conversation" aria-live="polite" className="flex flex-col gap-4">
        {state.turns.length === 0 && !asked && (
          <p className="card text-sm text-slate-700">
            Ask in plain words, for example “Which customers owe us more than 30 days?” or “What bills are due this week?”. Answers come from this organisation's Xero data, read-only.
          </p>
        )}
        {state.turns.map((turn, i) => (
          <div key={i} className="flex flex-col gap-2">
            <p className="self-end rounded-lg bg-brand-700 px-3 py-2 text-sm text-white [overflow-wrap:anywhere] sm:max-w-[80%]"><span className="sr-only">You asked: </span>{turn.question}</p>
            <div className="card flex flex-col gap-2 sm:max-w-[90%]" data-testid="answer">
              <p className="whitespace-pre-wrap text-sm [overflow-wrap:anywhere]">{turn.answer.answer}</p>
              <Sources sources={turn.answer.sources} />
              <p className="text-xs text-slate-600">
                Cost: {turn.answer.usage.total_tokens.toLocaleString("en-GB")} tokens ({turn.answer.usage.prompt_tokens.toLocaleString("en-GB")} in, {turn.answer.usage.completion_tokens.toLocaleString("en-GB")} out) · {turn.answer.usage.tool_calls} {turn.answer.usage.tool_calls === 1 ? "lookup" : "lookups"}
              </p>
            </div>
          </div>
        ))}
        {asked && (
          <div className="flex flex-col gap-2">
            <p className="self-end rounded-lg bg-brand-700 px-3 py-2 text-sm text-white">{asked}</p>
            <p role="status" className="text-sm text-slate-600"><Spinner /> Reading the books…</p>
          </div>
        )}
        <div ref={end} />
      </div>
      <InlineError error={ask.error} />
      <form className="card flex flex-col gap-2 sm:flex-row sm:items-end" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="flex-1">
          <label htmlFor="question" className="text-sm font-medium text-slate-700">{state.turns.length ? "Follow-up question" : "Your question"}</label>
          <textarea
            id="question"
            className="input"
            rows={2}
            maxLength={2000}
            value={state.question}
            onChange={(e) => setState((s) => ({ ...s, question: e.target.value }))}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
        </div>
        <button type="submit" className="btn-primary" disabled={!state.question.trim() || ask.isPending}>
          {ask.isPending && <Spinner />} Ask
        </button>
      </form>
    </section>
  );
}
