import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS, ROOT, pythonEnv, runningStack } from "./stack";

export const stack = runningStack();
export const WEB = stack.urls.web!;
export const API = stack.urls.api!;
export const XERO = stack.urls.xero!;
export const TENANTS = (stack.settings["demo tenants"] ?? "").split(" ");
const SCREENSHOTS = join(ARTIFACTS, "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

export const PASSWORDS: Record<string, string> = Object.fromEntries(
  (stack.settings["okta users"] ?? "").split(", ").map((entry) => {
    const [user, password] = entry.split(" ")[0]!.split("/");
    return [user!, password!];
  }),
);

/** Sign in on the dev issuer's page, as a person does. */
export async function signIn(page: Page, user: string, path = "/") {
  await page.goto(WEB + path);
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(PASSWORDS[user]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-name")).toBeVisible();
}

/** axe-core finds no serious or critical violation, and screenshots at desktop and phone width. */
export async function checkPage(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`), `axe on ${name}`).toEqual([]);
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300); // charts re-measure
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  const phone = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(phone.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id), `axe on ${name} (phone)`).toEqual([]);
  await page.setViewportSize(viewport);
}

function devstack(module: string, args: string[]): string {
  return execFileSync(stack.python, ["-m", module, ...args], { cwd: ROOT, env: pythonEnv({ DEVSTACK_STATE_DIR: stack.stateDir }) })
    .toString()
    .trim();
}

/** What `make token USER=…` prints for this stack. */
export const token = (user: string) => devstack("devstack.token", ["--user", user]);

/** An administrator's grant (`make grant`): the approver reaches the organisations. */
export const grant = (user: string, tenants: string[]) => devstack("devstack.grant", ["--user", user, "--tenants", tenants.join(" "), "--aws", stack.urls.aws!]);

export async function apiGet(path: string, user: string, headers: Record<string, string> = {}) {
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token(user)}`, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Payments the Xero simulator has had created, for one invoice. */
export async function simulatorPayments(invoiceId: string): Promise<unknown[]> {
  const response = await fetch(`${XERO}/_sim/created/Payments`);
  const body = (await response.json()) as { Payments: { Invoice?: { InvoiceID?: string } }[] };
  return body.Payments.filter((p) => p.Invoice?.InvoiceID === invoiceId);
}
