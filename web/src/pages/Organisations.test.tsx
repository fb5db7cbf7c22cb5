import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import Organisations from "./Organisations";
import { alice, bob, connection, fakeApi, renderPage } from "../test/render";

const connections = [
  connection,
  { ...connection, tenant_id: "t-2", tenant_name: "Old Books Ltd", status: "needs_reconnect", connected_by: "someone@example.com" },
  { ...connection, tenant_id: "t-3", tenant_name: "Narrow Scopes Ltd", missing_scopes: ["accounting.settings"], connected_by: "someone@example.com" },
];

test("each organisation's health; reconnect where needed; disconnect for its owner or an admin", () => {
  const { fetcher } = fakeApi({});
  renderPage(<Organisations />, { fetcher, connections });
  const mine = screen.getByRole("listitem", { name: "Demo Company (NZ)" });
  expect(within(mine).getByText("Active")).toBeInTheDocument();
  expect(within(mine).getByRole("button", { name: "Disconnect" })).toBeInTheDocument();
  expect(within(mine).queryByRole("button", { name: /Reconnect/ })).toBeNull();
  const old = screen.getByRole("listitem", { name: "Old Books Ltd" });
  expect(within(old).getByText("Needs reconnect")).toBeInTheDocument();
  expect(within(old).getByRole("button", { name: /Reconnect/ })).toBeInTheDocument();
  expect(within(old).queryByRole("button", { name: "Disconnect" })).toBeNull(); // not hers
  const narrow = screen.getByRole("listitem", { name: "Narrow Scopes Ltd" });
  expect(within(narrow).getByText(/Missing permissions: accounting.settings/)).toBeInTheDocument();
});

test("an approver without xero:connect cannot connect, and is told who can", () => {
  const { fetcher } = fakeApi({});
  renderPage(<Organisations />, { fetcher, connections: [], session: bob });
  expect(screen.queryByRole("button", { name: /Connect a Xero organisation/ })).toBeNull();
  expect(screen.getByText(/Ask someone with permission to connect Xero/)).toBeInTheDocument();
});

test("connecting asks the API for Xero's consent page and comes back to this page", async () => {
  const assign = vi.fn();
  Object.defineProperty(window, "location", { value: { ...window.location, assign, origin: "http://localhost:5173" }, writable: true });
  const { calls, fetcher } = fakeApi({ "POST /xero/connect": () => ({ body: { authorize_url: "http://xero.test/authorize?state=s", expires_at: 1 } }) });
  renderPage(<Organisations />, { fetcher, connections: [], session: alice });
  await userEvent.setup().click(screen.getByRole("button", { name: "Connect a Xero organisation" }));
  await vi.waitFor(() => expect(assign).toHaveBeenCalledWith("http://xero.test/authorize?state=s"));
  expect(calls[0]!.body).toEqual({ return_to: "http://localhost:5173/organisations" });
});

test("back from Xero's consent page, the page says how many organisations were connected", () => {
  const { fetcher } = fakeApi({});
  renderPage(<Organisations />, { fetcher, path: "/organisations?xero=connected&tenants=1" });
  expect(screen.getByRole("status")).toHaveTextContent("Xero connected 1 organisation.");
});
