/**
 * The console end to end, in headless Chromium against `make dev`: sign-in on the dev issuer's
 * page, Xero connected through the simulator's consent page, bills paid in the simulator, the
 * approval threshold, a second person approving, a double click, a question, and sign-out.
 * Every page is checked with axe-core and screenshotted at desktop and phone width.
 */
import { expect, test, type Page, type Request } from "@playwright/test";
import { API, TENANTS, apiGet, checkPage, grant, signIn, simulatorPayments, stack } from "./helpers";

test.describe.configure({ mode: "serial" });

let alice: Page;
let pendingPaymentId = "";

const pageErrors: string[] = [];

const watched = new Map<string, Page>();

/** A page whose errors fail the test, and which is screenshotted when a test fails. */
function watch(name: string, page: Page): Page {
  watched.set(name, page);
  page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
  return page;
}

test.beforeAll(async ({ browser }) => {
  alice = watch("alice", await (await browser.newContext()).newPage());
  alice.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) pageErrors.push(message.text());
  });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const [name, page] of watched) {
      if (page.isClosed()) continue;
      await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
    }
  }
  expect(pageErrors, "errors in the page").toEqual([]);
});

async function openBill(page: Page, number: string) {
  await page.getByRole("link", { name: "Invoices & bills" }).click();
  await page.getByLabel("Type").selectOption("ACCPAY");
  await page.getByRole("link", { name: number, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Bill ${number}` })).toBeVisible();
}

async function payOpenBill(page: Page, rail?: string) {
  await page.getByRole("link", { name: "Pay this bill" }).click();
  if (rail) await page.getByRole("radio", { name: rail }).check();
  else await page.getByLabel("Paid from").selectOption({ index: 1 });
}

test("1. a finance user signs in and connects both demo organisations", async () => {
  await signIn(alice, "alice", "/organisations");
  await expect(alice.getByTestId("user-name")).toHaveText("Alice Adams");
  await expect(alice.getByTestId("user-groups")).toHaveText("finance");
  await expect(alice.getByText("No Xero organisation is connected yet")).toBeVisible();
  await checkPage(alice, "organisations-empty");

  await alice.getByRole("button", { name: "Connect a Xero organisation" }).click();
  await expect(alice).toHaveTitle(/Xero simulator/); // the simulator's consent page
  for (const box of await alice.getByRole("checkbox").all()) await box.check();
  await alice.getByRole("button", { name: "Allow access" }).click();

  await expect(alice.getByText("Xero connected 2 organisations.")).toBeVisible();
  await expect(alice.getByRole("listitem").filter({ hasText: "Active" })).toHaveCount(2);
  await expect(alice.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await checkPage(alice, "organisations");
  await alice.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Company (NZ)" });
  await alice.getByRole("link", { name: "Dashboard" }).click();
  // Organisation A's EUR card and direct-debit invoices outnumber its NZD ones, and the API does
  // not say the organisation's base currency: the dashboard opens in EUR, so choose NZD.
  await alice.getByLabel("Currency").selectOption("NZD");
  // The simulator's NZ books: INV-0002 (1,150.00) and INV-0003 (425.93, overdue) outstanding.
  await expect(alice.getByRole("link", { name: /Customers owe/ })).toContainText("NZD 1,575.93");
  await expect(alice.getByRole("link", { name: /Overdue receivables \(1\)/ })).toContainText("NZD 425.93");
  await expect(alice.getByRole("heading", { name: "Aged payables" })).toBeVisible();
  await checkPage(alice, "dashboard");
});

test("2. they see the simulator's bills and pay one: the bill is PAID in the simulator", async () => {
  await alice.getByRole("link", { name: "Invoices & bills" }).click();
  await alice.getByLabel("Type").selectOption("ACCPAY");
  await expect(alice.getByRole("link", { name: "PD-7781", exact: true })).toBeVisible();
  await checkPage(alice, "bills");
  // The batch payment page, seen (and checked) before one of its bills is paid on its own.
  await alice.getByLabel("Select bill PD-7781 for batch payment").check();
  await alice.getByLabel("Select bill PD-7702 for batch payment").check();
  await alice.getByRole("button", { name: "Pay selected bills (2)" }).click();
  await expect(alice.getByText("Total: NZD 456.25")).toBeVisible();
  await checkPage(alice, "batch-pay");
  await openBill(alice, "PD-7781");
  await checkPage(alice, "bill");
  const due = (await alice.getByTestId("amount-due").innerText()).split(" ").pop()!;
  const invoiceId = alice.url().split("/").pop()!;
  await payOpenBill(alice);
  await expect(alice.getByLabel(/^Amount/)).toHaveValue(due.replace(/,/g, "")); // defaults to the amount due
  await checkPage(alice, "pay");
  await alice.getByRole("button", { name: /^Pay NZD/ }).click();
  await expect(alice.getByText("Recorded in Xero.")).toBeVisible();

  const live = await apiGet(`/tenants/${TENANTS[0]}/invoices/${invoiceId}`, "alice", { "Cache-Control": "no-cache" });
  expect(live.body.status).toBe("PAID");
  expect(await simulatorPayments(invoiceId)).toHaveLength(1);
});

test("3. a payment above the threshold shows as pending approval", async () => {
  await alice.getByRole("link", { name: "Invoices & bills" }).click();
  await alice.getByRole("link", { name: "New draft" }).click();
  await alice.getByLabel("Contact").selectOption({ index: 1 });
  await alice.getByLabel("Number (optional)").fill("FIT-001");
  await alice.getByLabel("Line 1 description").fill("Office fit-out");
  await alice.getByLabel("Unit price").fill("12500.00");
  await alice.getByLabel("Account code").fill("429");
  await checkPage(alice, "new-draft");
  await alice.getByRole("button", { name: "Save draft" }).click();
  await expect(alice.getByRole("button", { name: "Authorise" })).toBeVisible();
  await alice.getByRole("button", { name: "Authorise" }).click();
  await expect(alice.getByText("Authorised: it now awaits payment.")).toBeVisible();
  await payOpenBill(alice);
  await alice.getByRole("button", { name: /^Pay NZD/ }).click();
  await expect(alice.getByText(/a second person must approve it/)).toBeVisible();
  await alice.getByRole("link", { name: /audit trail/ }).click();
  pendingPaymentId = alice.url().split("/").pop()!;
  await expect(alice.getByText("Pending approval").first()).toBeVisible();
});

test("5. the submitter cannot approve their own payment, and is told why", async () => {
  await expect(alice.getByTestId("own-payment")).toContainText("You submitted this payment");
  await expect(alice.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await checkPage(alice, "payment-pending");
  const refused = await fetch(`${API}/tenants/${TENANTS[0]}/payments/${pendingPaymentId}/approve`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await alice.evaluate(() => JSON.parse(localStorage.getItem("okta-token-storage")!).accessToken.accessToken)}`, "Idempotency-Key": crypto.randomUUID() },
  });
  expect(refused.status).toBe(403);
});

test("4. an approver, in a second browser context, approves it: it is recorded", async ({ browser }) => {
  grant("bob", TENANTS); // as an administrator would
  const bob = watch("bob", await (await browser.newContext()).newPage());
  await signIn(bob, "bob", "/approvals");
  await expect(bob.getByTestId("user-groups")).toHaveText("approvers");
  const item = bob.getByRole("listitem").filter({ hasText: "Submitted by alice@example.com" });
  await expect(item).toHaveCount(1);
  await checkPage(bob, "approvals");
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(bob.getByText("Nothing is waiting for approval")).toBeVisible();
  const recorded = await apiGet(`/tenants/${TENANTS[0]}/payments/${pendingPaymentId}`, "bob");
  expect(recorded.body.status).toBe("recorded");
  expect(recorded.body.approved_by).toBe("bob@example.com");
  await bob.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Company (NZ)" });
  await bob.goto(`${new URL(bob.url()).origin}/payments/${pendingPaymentId}`);
  await expect(bob.getByTestId("audit-trail")).toContainText("bob@example.com");
  await checkPage(bob, "payment-recorded");
  await bob.context().close();
});

test("6. a double click on Pay makes one payment", async () => {
  await openBill(alice, "PD-7702");
  const invoiceId = alice.url().split("/").pop()!;
  await payOpenBill(alice);
  await alice.getByRole("button", { name: /^Pay NZD/ }).dblclick();
  await expect(alice.getByText("Recorded in Xero.")).toBeVisible();
  expect(await simulatorPayments(invoiceId)).toHaveLength(1);
  const listed = await apiGet(`/tenants/${TENANTS[0]}/payments?page_size=100`, "alice");
  expect((listed.body.payments as { invoice_id: string }[]).filter((p) => p.invoice_id === invoiceId)).toHaveLength(1);
  await alice.getByRole("link", { name: "Payments" }).click();
  await expect(alice.getByRole("cell", { name: "PD-7702" })).toHaveCount(1);
  const download = alice.waitForEvent("download");
  await alice.getByRole("button", { name: "Export CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^payments-.*\.csv$/);
  await checkPage(alice, "payments");
});

test("6a. a EUR bill paid by SEPA: Verification of Payee shown, a wrong TAN refused, the approver's TAN sends it", async ({ browser }) => {
  // Demo organisation A's EUR bill of Müller (Verification of Payee: MATCH), below the threshold.
  await alice.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Company (NZ)" });
  await openBill(alice, "MB-2024-117");
  await payOpenBill(alice, "SEPA transfer through Solaris");
  await alice.getByRole("button", { name: /^Pay by SEPA EUR/ }).click();
  await expect(alice.getByText(/Solaris sent a TAN/)).toBeVisible();
  await alice.getByRole("link", { name: /audit trail/ }).click();
  const paymentId = alice.url().split("/").pop()!;
  await expect(alice.getByTestId("payee-verification")).toContainText("Name matches the account");
  await expect(alice.getByTestId("tan-waiting")).toBeVisible(); // alice may not confirm: no payments:approve
  await checkPage(alice, "payment-sepa-awaiting-tan");

  const bob = watch("bob (TAN)", await (await browser.newContext()).newPage());
  await signIn(bob, "bob", "/approvals");
  const item = bob.getByRole("listitem").filter({ hasText: "MB-2024-117" });
  await expect(item.getByTestId("payee-verification")).toContainText("Name matches the account");
  await checkPage(bob, "approvals-tan");
  await item.getByLabel("TAN from Solaris").fill("000000");
  await item.getByRole("button", { name: "Confirm transfer" }).click();
  await expect(item.getByRole("alert")).toBeVisible(); // the API's message: a wrong TAN, it still waits
  expect((await apiGet(`/tenants/${TENANTS[0]}/payments/${paymentId}`, "bob")).body.tan_awaited).toBe(true);
  await item.getByLabel("TAN from Solaris").fill(stack.settings["solaris tan"]!);
  await item.getByRole("button", { name: "Confirm transfer" }).click();
  await expect(bob.getByRole("listitem").filter({ hasText: "MB-2024-117" })).toHaveCount(0);
  const sent = await apiGet(`/tenants/${TENANTS[0]}/payments/${paymentId}`, "bob");
  expect(sent.body.tan_awaited).toBe(false);
  expect(["executing", "settled", "recorded"]).toContain(sent.body.status);
  expect(sent.body.rail_reference).toBeTruthy();
  await bob.context().close();
});

test("6b. a card payment link is created on a EUR sales invoice and copied", async () => {
  await alice.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(alice.url()).origin });
  await alice.getByRole("link", { name: "Invoices & bills" }).click();
  await alice.getByLabel("Type").selectOption("ACCREC");
  await expect(alice).toHaveURL(/type=ACCREC/); // the filter's own navigation first, then the click
  await alice.waitForLoadState("networkidle");
  await alice.getByRole("link", { name: "INV-EU-0101", exact: true }).click();
  await expect(alice.getByRole("heading", { name: /INV-EU-0101/ })).toBeVisible();
  await expect(alice.getByText(/No payment link yet/)).toBeVisible();
  await alice.getByRole("button", { name: /Create a payment link for EUR 249.90/ }).click();
  const link = alice.getByLabel("Link for the customer");
  await expect(link).toHaveValue(new RegExp(`^${stack.urls.saferpay}`));
  await alice.getByRole("button", { name: "Copy" }).click();
  await expect(alice.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());
  await checkPage(alice, "invoice-payment-link");
  await alice.reload(); // the link is the API's, not the page's
  await expect(alice.getByTestId("payment-link")).toContainText("Open");
});

test("6c. an administrator adds a payout address (it waits for a second person), and sees the automations pages", async ({ browser }) => {
  grant("carol", TENANTS);
  const carol = watch("carol", await (await browser.newContext()).newPage());
  await signIn(carol, "carol", "/payout-addresses");
  await carol.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Company (NZ)" });
  await carol.getByRole("button", { name: "Add a payout address" }).click();
  await carol.getByLabel("Supplier").selectOption({ label: "Lumen Data Services Ltd" });
  const [, , address] = stack.settings["okx verified address"]!.split(" ");
  await carol.getByLabel("Address", { exact: true }).fill(address!);
  await carol.getByRole("button", { name: "Add address" }).click();
  await expect(carol.getByText(/it waits for a second person's approval/)).toBeVisible();
  const entry = carol.getByRole("listitem", { name: "Lumen Data Services Ltd: USDT on USDT-TRC20" });
  await expect(entry.getByTestId("own-address")).toBeVisible();
  await expect(entry.getByRole("button", { name: "Approve address" })).toHaveCount(0);
  await checkPage(carol, "payout-addresses");
  await carol.getByRole("link", { name: "Mirrors" }).click();
  await expect(carol.getByText("No mirrors yet")).toBeVisible();
  await checkPage(carol, "mirrors");
  await carol.getByRole("link", { name: "Webhooks & alerts" }).click();
  await expect(carol.getByText("No webhook endpoints yet")).toBeVisible();
  await checkPage(carol, "webhooks");
  await carol.context().close();
});

test("7. a question gets an answer with sources, and a follow-up continues it", async () => {
  await alice.getByRole("link", { name: "Ask" }).click();
  await checkPage(alice, "ask-empty");
  await alice.getByLabel("Your question").fill("Which bills are overdue?");
  await alice.getByRole("button", { name: "Ask" }).click();
  const answer = alice.getByTestId("answer");
  await expect(answer).toHaveCount(1, { timeout: 45_000 });
  await expect(answer.getByRole("list", { name: "Sources" })).toBeVisible();
  await expect(answer).toContainText("tokens");
  await alice.getByLabel("Follow-up question").fill("And which customers owe us?");
  await alice.getByRole("button", { name: "Ask" }).click();
  await expect(answer).toHaveCount(2, { timeout: 45_000 });
  await checkPage(alice, "ask");
});

test("8. after sign-out the API refuses the old page's calls", async () => {
  const oldPage = watch("old page", await alice.context().newPage());
  await oldPage.goto(`${new URL(alice.url()).origin}/payments`);
  await expect(oldPage.getByRole("heading", { name: "Payments" })).toBeVisible();
  const oldToken = await oldPage.evaluate(() => JSON.parse(localStorage.getItem("okta-token-storage")!).accessToken.accessToken as string);
  // Only the calls the old page starts once the sign-out is done: one it sent before (a
  // refetch in flight while the other page signs out) rightly carries the token it had then.
  const afterSignOut: { authorization?: string; status: number }[] = [];
  const sentAfterSignOut = new Set<Request>();
  let signedOut = false;
  oldPage.on("request", (request) => {
    if (signedOut) sentAfterSignOut.add(request);
  });
  oldPage.on("response", (response) => {
    const request = response.request();
    if (sentAfterSignOut.has(request) && response.url().startsWith(API) && request.method() !== "OPTIONS")
      afterSignOut.push({ authorization: request.headers().authorization, status: response.status() });
  });

  await alice.getByRole("button", { name: "Sign out" }).click();
  await expect(alice.getByLabel("Username")).toBeVisible(); // back on the sign-in page
  signedOut = true;

  // The old page holds no token any more: what it asks the API is refused, and it is sent to
  // sign in (okta-auth-js shares the sign-out between pages of the origin).
  await oldPage.getByRole("link", { name: "Invoices & bills" }).click().catch(() => undefined);
  await expect(oldPage.getByLabel("Username")).toBeVisible();
  for (const call of afterSignOut) {
    expect(call.authorization).toBeUndefined();
    expect(call.status).toBe(401);
  }
  // The issuer revoked the token the old page had (okta-auth-js revokes on sign-out).
  const introspected = await fetch(`${stack.settings["okta issuer"]}/v1/introspect`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: oldToken, token_type_hint: "access_token", client_id: stack.settings["okta client id"]! }),
  });
  expect(((await introspected.json()) as { active: boolean }).active).toBe(false);
});
