import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Payment } from "../../api/queries";
import { alice, bob, fakeApi, renderPage, TENANT } from "../../test/render";
import { RailPanel } from "./RailPanel";

const waiting = {
  payment_id: "p-7",
  status: "awaiting_confirmation",
  rail: "solaris_sepa",
  rail_status: "CONFIRMATION_REQUIRED",
  rail_reference: null,
  tan_awaited: true,
  tan_expires_at: "2026-12-02T10:05:00+00:00",
  amount: "1234.56",
  currency_code: "EUR",
  submitted_by: "alice@example.com",
  payee: { name: "Müller Bürobedarf GmbH", iban: "DE89370400440532013000", source: "xero_contact" },
  payee_verification: { status: "MATCH", name: "Müller Bürobedarf GmbH", suggested_name: null },
} as unknown as Payment;

test("an approver confirms with the TAN; a wrong one shows the API's message and the form stays", async () => {
  let n = 0;
  const { calls, fetcher } = fakeApi({
    [`POST /tenants/${TENANT}/payments/p-7/confirm`]: () => {
      n += 1;
      return n === 1
        ? { status: 422, body: { error: { code: "invalid_tan", message: "The TAN is wrong; the payment still waits for it", details: [] } } }
        : { body: { ...waiting, status: "executing", tan_awaited: false, rail_status: "accepted" } };
    },
  });
  renderPage(<RailPanel tenantId={TENANT} payment={waiting} />, { fetcher, session: bob });
  const user = userEvent.setup();
  expect(screen.getByTestId("payee-verification")).toHaveTextContent("Name matches the account");
  const confirm = screen.getByRole("button", { name: "Confirm transfer" });
  expect(confirm).toBeDisabled();
  await user.type(screen.getByLabelText("TAN from Solaris"), "111111");
  await user.click(confirm);
  expect(await screen.findByRole("alert")).toHaveTextContent("The TAN is wrong; the payment still waits for it");
  await user.clear(screen.getByLabelText("TAN from Solaris"));
  await user.type(screen.getByLabelText("TAN from Solaris"), "212212{Enter}");
  const bodies = calls.filter((c) => c.method === "POST").map((c) => c.body);
  expect(bodies).toEqual([{ tan: "111111" }, { tan: "212212" }]);
});

test("without payments:approve there is no TAN form, only who must confirm it", () => {
  const { fetcher } = fakeApi({});
  renderPage(<RailPanel tenantId={TENANT} payment={waiting} />, { fetcher, session: alice });
  expect(screen.queryByLabelText("TAN from Solaris")).toBeNull();
  expect(screen.getByTestId("tan-waiting")).toHaveTextContent("an approver");
  expect(screen.getByTestId("rail-facts")).toHaveTextContent("DE89370400440532013000");
});

test("a Xero-only payment has no provider panel", () => {
  const { fetcher } = fakeApi({});
  const { container } = renderPage(<RailPanel tenantId={TENANT} payment={{ ...waiting, rail: "xero" }} />, { fetcher, session: bob });
  expect(container).toBeEmptyDOMElement();
});
