import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Payment } from "../../api/queries";
import { bob, fakeApi, renderPage, TENANT } from "../../test/render";
import { ApprovalActions } from "../PaymentActions";
import { PayeeVerification } from "./PayeeVerification";

const closeMatch = {
  payment_id: "p-8",
  status: "pending_approval",
  rail: "solaris_sepa",
  amount: "845.00",
  currency_code: "EUR",
  submitted_by: "alice@example.com",
  payee_verification: { status: "CLOSE_MATCH", name: "Schmidt und Partner", suggested_name: "Schmidt & Partner Steuerberatung mbB" },
} as unknown as Payment;

test("a CLOSE_MATCH shows the bank's name, and approval sends it only once the approver accepts it", async () => {
  const { calls, fetcher } = fakeApi({
    [`POST /tenants/${TENANT}/payments/p-8/approve`]: () => ({ body: { ...closeMatch, status: "awaiting_confirmation" } }),
  });
  renderPage(
    <>
      <PayeeVerification verification={closeMatch.payee_verification!} />
      <ApprovalActions tenantId={TENANT} payment={closeMatch} />
    </>,
    { fetcher, session: bob },
  );
  expect(screen.getByTestId("suggested-name")).toHaveTextContent("Schmidt & Partner Steuerberatung mbB");
  const approve = screen.getByRole("button", { name: "Approve" });
  expect(approve).toBeDisabled();
  const user = userEvent.setup();
  await user.click(screen.getByRole("checkbox", { name: /Pay under the bank's name/ }));
  await user.click(approve);
  const post = calls.find((c) => c.path.endsWith("/approve"))!;
  expect(post.body).toEqual({ accepted_payee_name: "Schmidt & Partner Steuerberatung mbB" });
});

test("NO_MATCH says nothing is sent", () => {
  renderPage(<PayeeVerification verification={{ status: "NO_MATCH", name: "Nordwind", suggested_name: null }} />, { fetcher: fakeApi({}).fetcher });
  expect(screen.getByRole("region", { name: "Verification of Payee" })).toHaveTextContent("Nothing is sent");
});
