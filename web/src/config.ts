/** Runtime settings, read from /config.json at start so one build serves every stage. */
export interface RuntimeConfig {
  /** The API's base URL, e.g. https://abc.execute-api.eu-west-1.amazonaws.com */
  apiUrl: string;
  /** The Okta custom authorization server, e.g. https://example.okta.com/oauth2/default */
  oktaIssuer: string;
  /** The console's Okta SPA app (client id) */
  oktaClientId: string;
  /** Scopes to ask for; Okta grants those the user's policy allows. */
  scopes?: string[];
}

export const DEFAULT_SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "groups",
  "xero:connect",
  "payments:write",
  "payments:approve",
  "ask",
  "records:read",
  "records:write",
  "admin",
];

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || !value.trim()) {
    throw new Error(`config.json: "${name}" must be a non-empty string`);
  }
  return value.trim().replace(/\/+$/, "");
}

export function parseConfig(raw: unknown): RuntimeConfig {
  if (!raw || typeof raw !== "object") throw new Error("config.json must be a JSON object");
  const data = raw as Record<string, unknown>;
  const scopes = Array.isArray(data.scopes)
    ? data.scopes.filter((s): s is string => typeof s === "string")
    : undefined;
  return {
    apiUrl: requireString(data.apiUrl, "apiUrl"),
    oktaIssuer: requireString(data.oktaIssuer, "oktaIssuer"),
    oktaClientId: requireString(data.oktaClientId, "oktaClientId"),
    scopes: scopes?.length ? scopes : undefined,
  };
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetcher("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  return parseConfig(await response.json());
}
