import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Payment } from "../../api/queries";
import { bob, fakeApi, renderPage, TENANT } from "../../test/render";
import { ApprovalActions } from "../PaymentActions";
import { CryptoQuote } from "./CryptoQuote";

const crypto = (expiresInSeconds: number) => ({
  ccy: "USDT",
  chain: "USDT-TRC20",
  address: { payout_address_id: "pa_1", address: "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv", contact_id: "c-9", added_by: "carol@example.com", approved_by: "bob@example.com" },
  quote: {
    quote_id: "q_1",
    pair: "USDT-USD",
    price: "1.0003",
    price_at: "2026-12-02T10:00:00+00:00",
    quoted_at: "2026-12-02T10:00:00+00:00",
    expires_at: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
    amount: "1250.00",
    currency: "USD",
    crypto_amount: "1249.625112",
    tick_size: "0.000001",
    fee: "1.5",
    fee_ccy: "USDT",
    fee_in_currency: "1.50",
    min_withdrawal: "10",
    total_debit: "1251.125112",
  },
});

afterEach(() => vi.useRealTimers());

test("the quote counts down and then says a new one will be asked for", () => {
  vi.useFakeTimers();
  renderPage(<CryptoQuote crypto={crypto(3)} />, { fetcher: fakeApi({}).fetcher });
  expect(screen.getByTestId("crypto-quote")).toHaveTextContent("1249.625112 USDT on USDT-TRC20 for USD 1,250.00");
  expect(screen.getByRole("timer")).toHaveTextContent("0:03");
  act(() => vi.advanceTimersByTime(4000));
  expect(screen.getByTestId("quote-expiry")).toHaveTextContent("This quote has expired");
});

test("the approval names the quote the approver saw", async () => {
  const payment = { payment_id: "p-3", status: "pending_approval", rail: "okx", amount: "1250.00", submitted_by: "alice@example.com", crypto: crypto(120) } as unknown as Payment;
  const { calls, fetcher } = fakeApi({ [`POST /tenants/${TENANT}/payments/p-3/approve`]: () => ({ body: { ...payment, status: "executing" } }) });
  renderPage(<ApprovalActions tenantId={TENANT} payment={payment} />, { fetcher, session: bob });
  await userEvent.setup().click(screen.getByRole("button", { name: "Approve" }));
  expect(calls.find((c) => c.path.endsWith("/approve"))!.body).toEqual({ quote_id: "q_1" });
});

test("an expired quote's refusal is shown, and approving the new quote uses a new Idempotency-Key", async () => {
  const payment = { payment_id: "p-4", status: "pending_approval", rail: "okx", amount: "1250.00", submitted_by: "alice@example.com", crypto: crypto(-5) } as unknown as Payment;
  let n = 0;
  const { calls, fetcher } = fakeApi({
    [`POST /tenants/${TENANT}/payments/p-4/approve`]: () => {
      n += 1;
      return n === 1 ? { status: 422, body: { error: { code: "quote_expired", message: "The quote expired: approve the new one", details: [] } } } : { body: { ...payment, status: "executing" } };
    },
  });
  renderPage(<ApprovalActions tenantId={TENANT} payment={payment} />, { fetcher, session: bob });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Approve" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The quote expired: approve the new one");
  await user.click(screen.getByRole("button", { name: "Approve" }));
  const keys = calls.filter((c) => c.path.endsWith("/approve")).map((c) => c.headers.get("Idempotency-Key"));
  expect(keys).toHaveLength(2);
  expect(keys[0]).not.toBe(keys[1]);
});
