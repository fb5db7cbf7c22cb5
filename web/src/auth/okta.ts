/** okta-auth-js for the console: Authorization Code + PKCE, refresh tokens for quiet renewal. */
import { OktaAuth, type AccessToken, type IDToken } from "@okta/okta-auth-js";
import { DEFAULT_SCOPES, type RuntimeConfig } from "../config";

export const CALLBACK_PATH = "/login/callback";

export function createOktaAuth(config: RuntimeConfig, origin = window.location.origin): OktaAuth {
  return new OktaAuth({
    issuer: config.oktaIssuer,
    clientId: config.oktaClientId,
    redirectUri: origin + CALLBACK_PATH,
    postLogoutRedirectUri: origin,
    scopes: config.scopes ?? DEFAULT_SCOPES,
    pkce: true,
    // Renew before expiry with the refresh token (offline_access): no page reload, no iframe.
    tokenManager: { autoRenew: true, expireEarlySeconds: 30, storage: "localStorage" },
    services: { autoRenew: true, autoRemove: true, syncStorage: true },
  });
}

export interface Session {
  /** The access token's subject: what the API records as who did something. */
  sub: string;
  name: string;
  email: string;
  groups: string[];
  scopes: string[];
}

export function sessionFrom(idToken?: IDToken, accessToken?: AccessToken): Session | null {
  if (!idToken || !accessToken) return null;
  const claims = idToken.claims as Record<string, unknown>;
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === "string") : [];
  return {
    sub: String((accessToken.claims as Record<string, unknown>).sub ?? ""),
    name: typeof claims.name === "string" ? claims.name : String(claims.email ?? claims.sub ?? ""),
    email: typeof claims.email === "string" ? claims.email : "",
    groups,
    scopes: accessToken.scopes ?? [],
  };
}

/** The scopes a feature needs; any one of them is enough (as the API's route policy says). */
export const CAN = {
  connect: ["xero:connect"],
  pay: ["payments:write"],
  approve: ["payments:approve"],
  seePayments: ["payments:write", "payments:approve"],
  ask: ["ask"],
  read: ["records:read"],
  write: ["records:write"],
  admin: ["admin"],
  // The crypto payout address book: an admin adds, an approver approves, both see it.
  payoutAddresses: ["admin", "payments:approve"],
} as const;

export type Capability = keyof typeof CAN;

export function can(session: Session | null, capability: Capability): boolean {
  if (!session) return false;
  // The admin group counts as the admin scope, nothing more (as the route policy says).
  if ((CAN[capability] as readonly string[]).includes("admin") && session.groups.includes("admin")) return true;
  return CAN[capability].some((scope) => session.scopes.includes(scope));
}
