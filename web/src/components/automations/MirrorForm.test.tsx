import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Session } from "../../auth/okta";
import { connection, fakeApi, renderPage, TENANT, type Call } from "../../test/render";
import { MirrorForm } from "./MirrorForm";

// Many keystrokes per test: on a loaded machine they take longer than the default 5 s.
vi.setConfig({ testTimeout: 30_000 });

const carol: Session = { sub: "carol@example.com", name: "Carol Clark", email: "carol@example.com", groups: ["admin"], scopes: ["admin", "records:read"] };
const other = { ...connection, tenant_id: "tenant-2", tenant_name: "Demo Company (AU)" };
const account = (code: string, name: string, tax_type: string) => ({ account_id: `id-${code}`, code, name, tax_type, status: "ACTIVE" });
const CHARTS: Record<string, unknown[]> = {
  [TENANT]: [account("200", "Sales", "OUTPUT2"), account("260", "Other Revenue", "OUTPUT2"), account("429", "General Expenses", "INPUT2")],
  "tenant-2": [account("200", "Sales", "OUTPUT"), account("260", "Other Revenue", "OUTPUT"), account("429", "General Expenses", "INPUT")],
};

type Answer = { status?: number; body?: unknown };

function setUp(answer: (call: Call) => Answer = () => ({ status: 201, body: {} })) {
  const charts = Object.fromEntries(Object.entries(CHARTS).map(([tenant, accounts]) => [`GET /tenants/${tenant}/accounts`, () => ({ body: { accounts, page: 1, next_page: null } })]));
  const api = fakeApi({ ...charts, [`POST /tenants/${TENANT}/mirrors`]: answer });
  renderPage(<MirrorForm tenantId={TENANT} />, { fetcher: api.fetcher, session: carol, connections: [connection, other] });
  return { ...api, posts: () => api.calls.filter((c) => c.method === "POST"), user: userEvent.setup() };
}

async function openInto(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: "New mirror" }));
  await user.selectOptions(screen.getByLabelText("Copy into"), "tenant-2");
}

const accountIn = (org: "NZ" | "AU", row: number) => screen.getByRole("combobox", { name: `Account code in Demo Company (${org}), row ${row}` });
const taxIn = (org: "NZ" | "AU", row: number) => screen.getByRole("combobox", { name: `Tax type in Demo Company (${org}), row ${row}` });

test("the maps, statuses, prefixes and contact are sent as the API takes them", async () => {
  const { user, posts } = setUp();
  await openInto(user);
  await user.click(screen.getByRole("button", { name: "+ Add an account code" }));
  expect(accountIn("NZ", 1)).toHaveFocus();
  await user.type(accountIn("NZ", 1), "200");
  await user.type(accountIn("AU", 1), "260");
  await user.click(screen.getByRole("button", { name: "+ Add a tax type" }));
  await user.type(taxIn("NZ", 1), "OUTPUT2");
  await user.type(taxIn("AU", 1), "OUTPUT");
  await user.click(screen.getByRole("checkbox", { name: "Awaiting payment (authorised)" }));
  await user.click(screen.getByRole("checkbox", { name: "Awaiting approval" }));
  await user.type(screen.getByLabelText("Number prefix (optional)"), " NZ- ");
  await user.type(screen.getByLabelText("Reference prefix (optional)"), "A:");
  await user.type(screen.getByLabelText("Every copy names this contact (optional)"), "Demo Company (NZ)");
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  await vi.waitFor(() => expect(posts()).toHaveLength(1));
  expect(posts()[0]!.body).toMatchObject({
    target_tenant_id: "tenant-2",
    statuses: ["PAID", "SUBMITTED"],
    account_map: { "200": "260" },
    tax_map: { OUTPUT2: "OUTPUT" },
    number_prefix: "NZ-",
    reference_prefix: "A:",
    contact_name: "Demo Company (NZ)",
  });
});

test("each organisation's account codes and tax types are offered; a code the target lacks is flagged", async () => {
  const { user } = setUp();
  await openInto(user);
  await user.click(screen.getByRole("button", { name: "+ Add an account code" }));
  await user.click(screen.getByRole("button", { name: "+ Add a tax type" }));
  const options = (input: HTMLElement) => [...document.getElementById(input.getAttribute("list")!)!.querySelectorAll("option")].map((o) => `${o.value} ${o.textContent}`);
  await vi.waitFor(() => expect(options(accountIn("AU", 1))).toEqual(["200 Sales", "260 Other Revenue", "429 General Expenses"]));
  expect(options(taxIn("NZ", 1))).toEqual(["INPUT2 default of account 429", "OUTPUT2 default of accounts 200, 260"]);
  expect(options(taxIn("AU", 1))).toContain("OUTPUT default of accounts 200, 260");
  await user.type(accountIn("AU", 1), "260");
  expect(accountIn("AU", 1).parentElement).toHaveTextContent("Other Revenue"); // the account's name, under its code
  await user.clear(accountIn("AU", 1));
  await user.type(accountIn("AU", 1), "999");
  expect(screen.getByText(/Demo Company \(AU\) has no active account 999/)).toBeInTheDocument();
  expect(accountIn("AU", 1)).not.toHaveAttribute("aria-invalid"); // a warning: the API decides
});

test("a bad code or a source mapped twice is refused with a message, and nothing is sent", async () => {
  const { user, posts } = setUp();
  await openInto(user);
  const add = screen.getByRole("button", { name: "+ Add an account code" });
  await user.click(add);
  await user.type(accountIn("NZ", 1), "20 0");
  expect(accountIn("NZ", 1)).toHaveAccessibleDescription("Not an account code: up to 10 letters, digits, dots, dashes or underscores");
  await user.clear(accountIn("NZ", 1));
  await user.type(accountIn("NZ", 1), "200");
  await user.type(accountIn("AU", 1), "260");
  await user.click(add);
  await user.type(accountIn("NZ", 2), "200");
  await user.type(accountIn("AU", 2), "429");
  expect(accountIn("NZ", 2)).toHaveAccessibleDescription("200 is already mapped in row 1: an account maps to one target only");
  await user.click(screen.getByRole("button", { name: "+ Add a tax type" }));
  await user.type(taxIn("NZ", 1), "GST-15");
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  expect(taxIn("NZ", 1)).toHaveAccessibleDescription("Not a tax type: letters, digits or underscores only, e.g. OUTPUT2");
  expect(taxIn("AU", 1)).toHaveAccessibleDescription("Enter what GST-15 becomes in the target"); // shown once they try to create it
  expect(screen.getByRole("alert")).toHaveTextContent("Some code mappings need fixing");
  expect(posts()).toHaveLength(0);
});

test("removing a row removes it from what is sent", async () => {
  const { user, posts } = setUp();
  await openInto(user);
  const add = screen.getByRole("button", { name: "+ Add an account code" });
  for (const [from, into] of [["200", "260"], ["429", "400"]]) {
    await user.click(add);
    const row = screen.getAllByRole("combobox", { name: /^Account code in/ }).length / 2;
    await user.type(accountIn("NZ", row), from!);
    await user.type(accountIn("AU", row), into!);
  }
  await user.click(screen.getByRole("button", { name: "Remove account code row 1 (200)" }));
  expect(accountIn("NZ", 1)).toHaveValue("429");
  expect(screen.queryByRole("combobox", { name: /row 2$/ })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  await vi.waitFor(() => expect(posts()).toHaveLength(1));
  expect(posts()[0]!.body).toMatchObject({ account_map: { "429": "400" }, tax_map: {} });
});

test("the API's refusals are shown next to the row or field they are about", async () => {
  const { user } = setUp((call) => {
    const body = call.body as { number_prefix: string | null };
    if (body.number_prefix) return { status: 400, body: { error: { code: "bad_request", message: "the request is not valid", details: [{ field: "number_prefix", problem: "String should match pattern" }] } } };
    return { status: 422, body: { error: { code: "validation_failed", message: "the maps name what the target organisation lacks", details: [{ field: "account_map.200", problem: "the target has no account 999" }, { field: "tax_map.OUTPUT2", problem: "the target has no tax type GST" }] } } };
  });
  await openInto(user);
  await user.click(screen.getByRole("button", { name: "+ Add an account code" }));
  await user.type(accountIn("NZ", 1), "200");
  await user.type(accountIn("AU", 1), "260");
  expect(accountIn("AU", 1).parentElement).toHaveTextContent("Other Revenue"); // the account's name, under its code
  await user.clear(accountIn("AU", 1));
  await user.type(accountIn("AU", 1), "999");
  await user.click(screen.getByRole("button", { name: "+ Add a tax type" }));
  await user.type(taxIn("NZ", 1), "OUTPUT2");
  await user.type(taxIn("AU", 1), "GST");
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("the maps name what the target organisation lacks");
  expect(accountIn("NZ", 1)).toHaveAccessibleDescription("the target has no account 999");
  expect(taxIn("NZ", 1)).toHaveAccessibleDescription("the target has no tax type GST");
  await user.type(screen.getByLabelText("Number prefix (optional)"), "NZ-"); // a change clears what the API said
  expect(accountIn("NZ", 1)).not.toHaveAccessibleDescription();
  await user.click(screen.getByRole("button", { name: "Create mirror" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("the request is not valid");
  expect(within(screen.getByRole("form", { name: "New mirror" })).getByLabelText("Number prefix (optional)")).toHaveAccessibleDescription("String should match pattern");
});
