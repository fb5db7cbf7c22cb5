import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Payment } from "../api/queries";
import { alice, bob, fakeApi, renderPage, TENANT } from "../test/render";
import { ApprovalActions } from "./PaymentActions";

const pending = { payment_id: "p-9", status: "pending_approval", amount: "12500.00", submitted_by: "alice@example.com", rail: "xero" } as Payment;

test("no approve button without payments:approve", () => {
  const { fetcher } = fakeApi({});
  renderPage(<ApprovalActions tenantId={TENANT} payment={pending} />, { fetcher, session: { ...alice, sub: "carol@example.com" } });
  expect(screen.queryByRole("button", { name: "Approve" })).toBeNull();
  expect(screen.getByText(/Waiting for an approver/)).toBeInTheDocument();
});

test("the submitter sees why they cannot approve their own payment", () => {
  const { fetcher } = fakeApi({});
  renderPage(<ApprovalActions tenantId={TENANT} payment={pending} />, { fetcher, session: { ...bob, sub: "alice@example.com" } });
  expect(screen.queryByRole("button", { name: "Approve" })).toBeNull();
  expect(screen.getByText(/You submitted this payment/)).toBeInTheDocument();
});

test("an approver approves with an Idempotency-Key, or rejects with a reason", async () => {
  const { calls, fetcher } = fakeApi({
    [`POST /tenants/${TENANT}/payments/p-9/approve`]: () => ({ status: 201, body: { ...pending, status: "recorded" } }),
    [`POST /tenants/${TENANT}/payments/p-9/reject`]: () => ({ body: { ...pending, status: "rejected" } }),
  });
  renderPage(<ApprovalActions tenantId={TENANT} payment={pending} />, { fetcher, session: bob });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Reject…" }));
  expect(screen.getByRole("button", { name: "Reject payment" })).toBeDisabled();
  await user.type(screen.getByLabelText("Why is it rejected?"), "Duplicate of PD-7702");
  await user.click(screen.getByRole("button", { name: "Reject payment" }));
  await user.click(screen.getByRole("button", { name: "Approve" }));
  const reject = calls.find((c) => c.path.endsWith("/reject"))!;
  expect(reject.body).toEqual({ reason: "Duplicate of PD-7702" });
  const approve = calls.find((c) => c.path.endsWith("/approve"))!;
  expect(approve.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});
