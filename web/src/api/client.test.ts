import { ApiError, createApiClient, retryDelay, shouldRetry, toApiError, unwrap, unwrapOrNull } from "./client";

test("an API error is the API's error.message, never a stack", () => {
  const error = toApiError(422, { error: { code: "xero_validation", message: "Payment amount exceeds the amount due", details: ["x"] } });
  expect(error).toBeInstanceOf(ApiError);
  expect(error.message).toBe("Payment amount exceeds the amount due");
  expect(error.code).toBe("xero_validation");
  expect(toApiError(503, "Traceback (most recent call last): ...").message).toBe("The service is unavailable right now. Try again.");
});

test("every call carries the bearer token; a 401 sends the person to sign in", async () => {
  const seen: string[] = [];
  let refused = 0;
  const fetcher = async (request: Request) => {
    seen.push(request.headers.get("Authorization") ?? "");
    return new Response(JSON.stringify({ message: "Unauthorized" }), { status: 401, headers: { "content-type": "application/json" } });
  };
  const api = createApiClient("http://api.test", { accessToken: async () => "fresh-token", onUnauthorized: () => (refused += 1) }, fetcher as typeof fetch);
  const result = await api.GET("/xero/connections");
  expect(seen).toEqual(["Bearer fresh-token"]);
  expect(refused).toBe(1);
  expect(() => unwrap(result)).toThrow("Your session has ended. Please sign in again.");
});

test("reads are asked again after Xero's Retry-After, and never for a refusal", () => {
  const limited = (() => {
    try {
      unwrap({ error: { error: { code: "rate_limited", message: "Xero's limit", details: [] } }, response: new Response(null, { status: 429, headers: { "Retry-After": "3" } }) });
    } catch (error) {
      return error;
    }
  })();
  expect((limited as ApiError).retryAfter).toBe(3);
  expect(shouldRetry(0, limited)).toBe(true);
  expect(retryDelay(0, limited)).toBe(3200);
  expect(shouldRetry(2, limited)).toBe(false);
  expect(shouldRetry(0, new ApiError("no", 403))).toBe(false);
  expect(shouldRetry(0, new ApiError("Xero is down", 503))).toBe(true);
});

test("a read of something that may not exist yet: its 404 is null, any other refusal still throws", () => {
  const answer = (status: number, data?: object) => ({ data, error: { error: { code: "x", message: `HTTP ${status}`, details: [] } }, response: new Response(null, { status }) });
  expect(unwrapOrNull(answer(200, { status: "active" }))).toEqual({ status: "active" });
  expect(unwrapOrNull(answer(404))).toBeNull();
  expect(() => unwrapOrNull(answer(403))).toThrow("HTTP 403");
});
