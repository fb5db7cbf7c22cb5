import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Session } from "../auth/okta";
import { connection, fakeApi, renderPage, TENANT } from "../test/render";
import Mirrors from "./Mirrors";

const carol: Session = { sub: "carol@example.com", name: "Carol Clark", email: "carol@example.com", groups: ["admin"], scopes: ["admin", "records:read"] };
const other = { ...connection, tenant_id: "tenant-2", tenant_name: "Demo Company (AU)" };
const MIRROR = {
  mirror_id: "m-1",
  source_tenant_id: TENANT,
  target_tenant_id: "tenant-2",
  source_name: "Demo Company (NZ)",
  target_name: "Demo Company (AU)",
  status: "active",
  types: ["ACCREC"],
  statuses: ["AUTHORISED", "PAID"],
  flip_type: true,
  account_map: { "200": "260" },
  tax_map: { OUTPUT2: "OUTPUT" },
  create_missing_contacts: true,
  create_missing_items: true,
  backfill_from: null,
  number_prefix: "NZ-",
  reference_prefix: "NZ/",
  contact_name: "Demo Company (NZ)",
  created_by: "carol@example.com",
  created_at: "2026-12-01T10:00:00+00:00",
  deleted_at: null,
  scopes_needed: {},
  health: { state: "attention", problems: ["1 invoice waits for contact Ridgeway"], waiting: 1, parked: 0, counts: { copied: 3 }, last_activity_at: null, last_error: null },
};
const LOG = [
  { at: "2026-12-02T10:00:00+00:00", outcome: "copied", kind: "invoice", source_id: "i1", source_number: "INV-0002", target_id: "t1", target_number: "NZ-INV-0002", reason: null, messages: [], attempt: 1, details: {} },
  { at: "2026-12-02T10:01:00+00:00", outcome: "waiting", kind: "invoice", source_id: "i2", source_number: "INV-0003", target_id: null, target_number: null, reason: "Contact Ridgeway is missing", messages: [], attempt: 2, details: {} },
];

test("a mirror's health and log; a new mirror into the other organisation", { timeout: 30_000 }, async () => {
  let mirrors = [MIRROR];
  const { calls, fetcher } = fakeApi({
    [`GET /tenants/${TENANT}/mirrors`]: () => ({ body: { mirrors } }),
    [`GET /tenants/${TENANT}/mirrors/m-1/log`]: (call) => ({ body: { entries: LOG.filter((e) => !call.query.get("outcome") || e.outcome === call.query.get("outcome")), page: null, next_page: null } }),
    [`POST /tenants/${TENANT}/mirrors`]: () => {
      mirrors = [...mirrors, { ...MIRROR, mirror_id: "m-2", types: ["ACCPAY"] }];
      return { status: 201, body: mirrors[1] };
    },
  });
  renderPage(<Mirrors />, { fetcher, session: carol, connections: [connection, other] });
  const user = userEvent.setup();
  const card = await screen.findByRole("listitem", { name: "Mirror Demo Company (NZ) → Demo Company (AU)" });
  expect(card).toHaveTextContent("Health: attention");
  expect(card).toHaveTextContent("1 invoice waits for contact Ridgeway");
  // What it copies and how, as it was created.
  expect(card).toHaveTextContent("sales invoices once awaiting payment (authorised) or paid; a sale becomes a bill and back");
  expect(within(card).getByRole("table", { name: "Account codes" })).toHaveTextContent("200→ 260");
  expect(within(card).getByRole("table", { name: "Tax types" })).toHaveTextContent("OUTPUT2→ OUTPUT");
  expect(card).toHaveTextContent("Numbersprefixed NZ-");
  expect(card).toHaveTextContent("Referencesprefixed NZ/");
  expect(card).toHaveTextContent("every copy names Demo Company (NZ)");
  await user.click(within(card).getByRole("button", { name: "Show the log" }));
  expect(await within(card).findByRole("list", { name: "Mirror log" })).toHaveTextContent("INV-0002 → NZ-INV-0002");
  await user.selectOptions(within(card).getByLabelText("Outcome"), "waiting");
  expect(await within(card).findByText("Contact Ridgeway is missing")).toBeInTheDocument();
  expect(within(card).queryByText(/NZ-INV-0002/)).toBeNull();

  await user.click(screen.getByRole("button", { name: "New mirror" }));
  await user.selectOptions(screen.getByLabelText("Copy into"), "tenant-2");
  await user.click(screen.getByRole("checkbox", { name: "Sales invoices" }));
  expect(screen.getByRole("button", { name: "Create mirror" })).toBeDisabled(); // nothing to copy
  await user.click(screen.getByRole("checkbox", { name: "Bills" }));
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  expect(await screen.findAllByRole("listitem", { name: /^Mirror / })).toHaveLength(2);
  expect(calls.find((c) => c.method === "POST")!.body).toEqual({
    target_tenant_id: "tenant-2",
    types: ["ACCPAY"],
    statuses: ["AUTHORISED", "PAID"],
    flip_type: false,
    account_map: {},
    tax_map: {},
    create_missing_contacts: true,
    create_missing_items: true,
    number_prefix: null,
    reference_prefix: null,
    contact_name: null,
    backfill_from: null,
  });
});

test("no mirrors; and the API's refusal when the list cannot be read", async () => {
  const { fetcher } = fakeApi({ [`GET /tenants/${TENANT}/mirrors`]: () => ({ body: { mirrors: [] } }) });
  const { unmount } = renderPage(<Mirrors />, { fetcher, session: carol, connections: [connection] });
  expect(await screen.findByText("No mirrors yet")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: /New mirror/ })).toBeDisabled();
  unmount();
  const refused = fakeApi({ [`GET /tenants/${TENANT}/mirrors`]: () => ({ status: 403, body: { error: { code: "forbidden", message: "Mirrors need the admin scope", details: [] } } }) });
  renderPage(<Mirrors />, { fetcher: refused.fetcher, session: carol });
  expect(await screen.findByRole("alert")).toHaveTextContent("Mirrors need the admin scope");
});
