/** The typed API client: paths and bodies come from the API description (schema.d.ts). */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type ApiClient = ReturnType<typeof createClient<paths>>;

/** An API answer that is not a success: `message` is the API's `error.message`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string = "error",
    readonly details: unknown[] = [],
    /** Seconds the API asks us to wait (429's Retry-After), when it says. */
    public retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const FALLBACK: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You are not allowed to do this.",
  404: "Not found.",
  429: "Xero asks us to slow down. Try again in a moment.",
  502: "Xero did not answer properly. Try again.",
  503: "The service is unavailable right now. Try again.",
  504: "Xero took too long to answer. Try again.",
};

/** The API's error body ({error: {code, message, details}}) as an ApiError; never a stack. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
  if (error && typeof error.message === "string" && error.message) {
    return new ApiError(
      error.message,
      status,
      typeof error.code === "string" ? error.code : "error",
      Array.isArray(error.details) ? error.details : [],
    );
  }
  const gateway = (body as { message?: unknown })?.message;
  if (typeof gateway === "string" && status !== 401) return new ApiError(gateway, status);
  return new ApiError(FALLBACK[status] ?? `The request failed (HTTP ${status}).`, status);
}

/** Unwrap an openapi-fetch answer: the data, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const error = toApiError(result.response.status, result.error);
  const wait = Number(result.response.headers.get("Retry-After"));
  if (Number.isFinite(wait) && wait >= 0 && result.response.headers.has("Retry-After")) error.retryAfter = wait;
  throw error;
}

/** unwrap for a read of something that may not exist yet (a mandate, a payment link): its 404 is null, not an error. */
export function unwrapOrNull<T>(result: { data?: T; error?: unknown; response: Response }): T | null {
  if (result.response.status === 404) return null;
  return unwrap(result);
}

/** Reads may be asked again: Xero's 5xx and network blips, and a 429 after its Retry-After. */
export function shouldRetry(count: number, error: unknown): boolean {
  if (count >= 2) return false;
  if (!(error instanceof ApiError)) return true;
  if (error.status === 429) return (error.retryAfter ?? 1) <= 10;
  return error.status >= 500;
}

export function retryDelay(count: number, error: unknown): number {
  if (error instanceof ApiError && error.status === 429) return ((error.retryAfter ?? 1) + 0.2) * 1000;
  return Math.min(1000 * 2 ** count, 8000);
}

export interface AuthHooks {
  /** A fresh access token (renewed quietly when needed), or null when signed out. */
  accessToken: () => Promise<string | null>;
  /** The API refused the token: send the person to sign in, keeping where they were. */
  onUnauthorized: () => void;
}

export function createApiClient(baseUrl: string, auth: AuthHooks, fetcher?: typeof fetch): ApiClient {
  const client = createClient<paths>({ baseUrl, fetch: fetcher });
  const middleware: Middleware = {
    async onRequest({ request }) {
      const token = await auth.accessToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) auth.onUnauthorized();
      return response;
    },
  };
  client.use(middleware);
  return client;
}
