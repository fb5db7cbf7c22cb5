import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import Ask from "./Ask";
import { fakeApi, renderPage, TENANT } from "../test/render";

test("an answer shows its sources linked to the records and its cost; a follow-up continues the conversation", async () => {
  const conversation = "0b6e3b4a-2f0e-4c7e-9d7a-1f2e3d4c5b6a";
  const { calls, fetcher } = fakeApi({
    [`POST /tenants/${TENANT}/ask`]: () => ({
      body: {
        answer: "Ridgeway Bank owes NZD 1,000.50 on INV-0001.",
        sources: [{ tool: "aged_receivables", arguments: {}, records: [{ type: "invoice", id: "inv-1", label: "INV-0001" }, { type: "contact", id: "c-1", label: "Ridgeway Bank" }] }],
        usage: { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, model_calls: 2, tool_calls: 1, tool_rounds: 1 },
        conversation_id: conversation,
      },
    }),
  });
  renderPage(<Ask />, { fetcher });
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Your question"), "Who owes us?");
  await user.click(screen.getByRole("button", { name: "Ask" }));
  expect(await screen.findByText("Ridgeway Bank owes NZD 1,000.50 on INV-0001.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "INV-0001" })).toHaveAttribute("href", "/invoices/inv-1");
  expect(screen.getByRole("link", { name: "Ridgeway Bank" })).toHaveAttribute("href", "/invoices?contact_id=c-1");
  expect(screen.getByText(/1,280 tokens/)).toBeInTheDocument();

  await user.type(screen.getByLabelText("Follow-up question"), "And the oldest?");
  await user.click(screen.getByRole("button", { name: "Ask" }));
  await screen.findAllByTestId("answer").then((a) => expect(a.length).toBeGreaterThan(0));
  const asked = calls.filter((c) => c.method === "POST").map((c) => c.body);
  expect(asked).toEqual([{ question: "Who owes us?", conversation_id: null }, { question: "And the oldest?", conversation_id: conversation }]);
});
