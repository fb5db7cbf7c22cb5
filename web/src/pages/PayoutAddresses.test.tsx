import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Session } from "../auth/okta";
import { alice, bob, fakeApi, renderPage, TENANT } from "../test/render";
import PayoutAddresses from "./PayoutAddresses";

const carol: Session = { sub: "carol@example.com", name: "Carol Clark", email: "carol@example.com", groups: ["admin"], scopes: ["xero:connect", "records:read"] };
const ENTRY = {
  payout_address_id: "pa_1",
  status: "pending_approval",
  payable: false,
  contact_id: "c-9",
  contact_name: "Lumen Data Services",
  ccy: "USDT",
  chain: "USDT-TRC20",
  address: "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv",
  tag: null,
  label: "Lumen hot wallet",
  added_by: "carol@example.com",
  added_at: "2026-12-02T09:00:00+00:00",
  approved_by: null,
  approved_at: null,
  replaces: null,
  superseded_by: null,
  superseded_at: null,
  deleted_by: null,
  deleted_at: null,
};
const BOOK = `/tenants/${TENANT}/payout_addresses`;

test("an administrator adds an address (the admin group is enough); the one who added it cannot approve it", async () => {
  let book = [ENTRY];
  const { calls, fetcher } = fakeApi({
    [`GET ${BOOK}`]: () => ({ body: { payout_addresses: book, page: null, next_page: null } }),
    [`GET /tenants/${TENANT}/contacts`]: () => ({ body: { contacts: [{ contact_id: "c-9", name: "Lumen Data Services" }], page: 1, next_page: null } }),
    [`POST ${BOOK}`]: (call) => {
      book = [...book, { ...ENTRY, payout_address_id: "pa_2", address: (call.body as { address: string }).address }];
      return { status: 201, body: book[1] };
    },
  });
  renderPage(<PayoutAddresses />, { fetcher, session: carol });
  const user = userEvent.setup();
  const item = await screen.findByRole("listitem", { name: "Lumen Data Services: USDT on USDT-TRC20" });
  expect(within(item).getByTestId("own-address")).toHaveTextContent("someone else");
  expect(within(item).queryByRole("button", { name: "Approve address" })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Add a payout address" }));
  await user.selectOptions(await screen.findByLabelText("Supplier"), "c-9");
  await user.type(screen.getByLabelText("Address"), " TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf ");
  await user.click(screen.getByRole("button", { name: "Add address" }));
  expect(await screen.findByText(/it waits for a second person's approval/)).toBeInTheDocument();
  expect(calls.find((c) => c.method === "POST")!.body).toEqual({ contact_id: "c-9", ccy: "USDT", chain: "USDT-TRC20", address: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf", tag: null, label: null });
  expect(await screen.findAllByRole("listitem")).toHaveLength(2);
});

test("an approver approves someone else's address, and cannot add or delete", async () => {
  const { calls, fetcher } = fakeApi({
    [`GET ${BOOK}`]: () => ({ body: { payout_addresses: [ENTRY], page: null, next_page: null } }),
    [`POST ${BOOK}/pa_1/approve`]: () => ({ body: { ...ENTRY, status: "approved", payable: true, approved_by: "bob@example.com" } }),
  });
  renderPage(<PayoutAddresses />, { fetcher, session: bob });
  const user = userEvent.setup();
  await user.click(await screen.findByRole("button", { name: "Approve address" }));
  expect(calls.some((c) => c.method === "POST" && c.path.endsWith("/pa_1/approve"))).toBe(true);
  expect(screen.queryByRole("button", { name: "Add a payout address" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Delete…" })).toBeNull();
});

test("delete asks first; the API's refusal is shown; an empty book says so", async () => {
  const { fetcher } = fakeApi({
    [`GET ${BOOK}`]: () => ({ body: { payout_addresses: [{ ...ENTRY, status: "approved" }], page: null, next_page: null } }),
    [`DELETE ${BOOK}/pa_1`]: () => ({ status: 409, body: { error: { code: "address_in_use", message: "A payment to this address is under way", details: [] } } }),
  });
  const { unmount } = renderPage(<PayoutAddresses />, { fetcher, session: carol });
  const user = userEvent.setup();
  await user.click(await screen.findByRole("button", { name: "Delete…" }));
  await user.click(screen.getByRole("button", { name: "Delete this address" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("A payment to this address is under way");
  unmount();
  renderPage(<PayoutAddresses />, { fetcher: fakeApi({ [`GET ${BOOK}`]: () => ({ body: { payout_addresses: [], page: null, next_page: null } }) }).fetcher, session: alice });
  expect(await screen.findByText("No payout addresses yet")).toBeInTheDocument();
});
