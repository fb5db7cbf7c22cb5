/**
 * Mirrors end to end, on its own or after console.spec.ts: an administrator creates a mirror from
 * Demo Company (NZ) into Demo Company (AU) with an account-code and a tax-type map, offered each
 * organisation's codes, and sees how the new mirror copies on the page. The form is checked with
 * axe-core and screenshotted (open, at desktop and phone width).
 */
import { expect, test } from "@playwright/test";
import { TENANTS, apiGet, checkPage, grant, signIn } from "./helpers";

test("an administrator creates a mirror with an account map and sees it on the page", async ({ browser }) => {
  grant("carol", TENANTS);
  const carol = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  carol.on("pageerror", (error) => errors.push(error.message));
  await signIn(carol, "carol", "/organisations");
  const connected = (await apiGet("/xero/connections", "carol")).body.connections as unknown[];
  if (connected.length < 2) {
    // On its own the stack has no connection yet: carol connects both demo organisations.
    await carol.getByRole("button", { name: "Connect a Xero organisation" }).click();
    await expect(carol).toHaveTitle(/Xero simulator/);
    for (const box of await carol.getByRole("checkbox").all()) await box.check();
    await carol.getByRole("button", { name: "Allow access" }).click();
    await expect(carol.getByText("Xero connected 2 organisations.")).toBeVisible();
  }
  await carol.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Company (NZ)" });
  await carol.getByRole("link", { name: "Mirrors" }).click();
  await carol.getByRole("button", { name: "New mirror" }).click();
  const form = carol.getByRole("form", { name: "New mirror" });
  await form.getByLabel("Copy into").selectOption({ label: "Demo Company (AU)" });

  await form.getByRole("button", { name: "+ Add an account code" }).click();
  const into = form.getByLabel("Account code in Demo Company (AU), row 1");
  // The target's chart is offered (a datalist of its codes, named).
  await expect(carol.locator(`datalist[id="${await into.getAttribute("list")}"] option[value="260"]`)).toHaveText("Other Revenue");
  await form.getByLabel("Account code in Demo Company (NZ), row 1").fill("200");
  await into.fill("260");
  await form.getByRole("button", { name: "+ Add a tax type" }).click();
  await form.getByLabel("Tax type in Demo Company (NZ), row 1").fill("OUTPUT2");
  await form.getByLabel("Tax type in Demo Company (AU), row 1").fill("OUTPUT");
  await form.getByLabel("Number prefix (optional)").fill("NZ-");
  await checkPage(carol, "mirrors-form");

  await form.getByRole("button", { name: "Create mirror" }).click();
  await expect(form).toHaveCount(0);
  const card = carol.getByRole("listitem", { name: "Mirror Demo Company (NZ) → Demo Company (AU)" });
  await expect(card.getByRole("table", { name: "Account codes" }).getByRole("row", { name: "200 → 260" })).toBeVisible();
  await expect(card.getByRole("table", { name: "Tax types" }).getByRole("row", { name: "OUTPUT2 → OUTPUT" })).toBeVisible();
  await expect(card).toContainText("prefixed NZ-");
  await expect(card).toContainText("sales invoices once awaiting payment (authorised) or paid");
  await checkPage(carol, "mirrors-created");
  expect(errors, "errors in the page").toEqual([]);
  await carol.context().close();
});
