import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Session } from "../auth/okta";
import { fakeApi, renderPage, TENANT } from "../test/render";
import Webhooks from "./Webhooks";
import { splitList } from "../components/automations/lists";

const carol: Session = { sub: "carol@example.com", name: "Carol Clark", email: "carol@example.com", groups: ["admin"], scopes: ["admin", "records:read"] };
const ENDPOINTS = `/tenants/${TENANT}/webhook_endpoints`;
const CHANNELS = `/tenants/${TENANT}/notification_channels`;
const ENDPOINT = { webhook_endpoint_id: "we-1", url: "https://erp.example/hooks", events: ["payment.*"], description: null, status: "failing", failing_since: "2026-11-29T08:00:00+00:00", created_at: "2026-11-01T08:00:00+00:00", created_by: "carol@example.com" };
const DELIVERY = { delivery_id: "d-1", webhook_endpoint_id: "we-1", event_id: "ev-1", event_type: "payment.recorded", status: "failed", attempts: 12, created_at: "2026-11-29T08:00:00+00:00", next_attempt_at: null, delivered_at: null, replay_of: null, note: null, request_body: "{}", attempt_log: [] };
const CHANNEL = { notification_channel_id: "nc-1", kind: "slack", target_hint: "hooks.slack.com/…/XyZ9", alerts: ["*"], description: "Finance", created_at: "2026-11-01T08:00:00+00:00", created_by: "carol@example.com" };

function api(overrides: Record<string, () => { status?: number; body?: unknown }> = {}) {
  let endpoints: object[] = [ENDPOINT];
  return fakeApi({
    [`GET ${ENDPOINTS}`]: () => ({ body: { webhook_endpoints: endpoints } }),
    [`POST ${ENDPOINTS}`]: () => {
      const created = { ...ENDPOINT, webhook_endpoint_id: "we-2", url: "https://new.example/in", status: "active", failing_since: null };
      endpoints = [...endpoints, created];
      return { status: 201, body: { ...created, secret: "whsec_shown_once_123" } };
    },
    [`GET ${ENDPOINTS}/we-1/deliveries`]: () => ({ body: { deliveries: [DELIVERY], page: null, next_page: null } }),
    [`POST ${ENDPOINTS}/we-1/deliveries/d-1/replay`]: () => ({ status: 202, body: { ...DELIVERY, delivery_id: "d-2", replay_of: "d-1", status: "pending" } }),
    [`GET ${CHANNELS}`]: () => ({ body: { notification_channels: [CHANNEL] } }),
    [`POST ${CHANNELS}`]: () => ({ status: 201, body: { ...CHANNEL, notification_channel_id: "nc-2" } }),
    [`POST ${CHANNELS}/nc-1/test`]: () => ({ body: { delivered: false, status_code: 404, error: "Slack answered no_service" } }),
    ...overrides,
  });
}

test("a new endpoint's signing secret is shown once; a failing endpoint's delivery is replayed", async () => {
  const { calls, fetcher } = api();
  renderPage(<Webhooks />, { fetcher, session: carol });
  const user = userEvent.setup();
  const card = await screen.findByRole("listitem", { name: "Endpoint https://erp.example/hooks" });
  expect(card).toHaveTextContent("Every attempt has failed since");
  await user.click(within(card).getByRole("button", { name: "Show deliveries" }));
  await user.click(await within(card).findByRole("button", { name: /^Replay payment.recorded/ }));
  expect(calls.some((c) => c.method === "POST" && c.path.endsWith("/d-1/replay"))).toBe(true);

  await user.type(screen.getByLabelText("Endpoint URL"), "https://new.example/in");
  await user.clear(screen.getByLabelText("Events"));
  await user.type(screen.getByLabelText("Events"), "payment.*, invoice.created,, payment.*");
  await user.click(screen.getByRole("button", { name: "Add endpoint" }));
  expect(await screen.findByLabelText("Signing secret for https://new.example/in")).toHaveValue("whsec_shown_once_123");
  expect(calls.find((c) => c.method === "POST" && c.path === ENDPOINTS)!.body).toEqual({ url: "https://new.example/in", events: ["payment.*", "invoice.created"], description: null });
  await user.click(screen.getByRole("button", { name: "I have stored it" }));
  expect(screen.queryByText(/whsec_/)).toBeNull();
  expect(screen.queryByTestId("endpoint-secret")).toBeNull();
  expect(await screen.findByRole("listitem", { name: "Endpoint https://new.example/in" })).not.toHaveTextContent("whsec_");
});

test("a channel's test alert says whether it arrived; a new channel; the API's refusal", async () => {
  const { calls, fetcher } = api({ [`POST ${CHANNELS}`]: () => ({ status: 422, body: { error: { code: "invalid_target", message: "Not a Slack incoming webhook URL", details: [] } } }) });
  renderPage(<Webhooks />, { fetcher, session: carol });
  const user = userEvent.setup();
  const card = await screen.findByRole("listitem", { name: /^Slack hooks.slack.com/ });
  await user.click(within(card).getByRole("button", { name: "Send a test alert" }));
  expect(await within(card).findByRole("status")).toHaveTextContent("not delivered: Slack answered no_service");
  await user.type(screen.getByLabelText("Slack incoming webhook URL"), "https://example.com/nope");
  await user.click(screen.getByRole("button", { name: "Add channel" }));
  expect(await screen.findByText("Not a Slack incoming webhook URL")).toBeInTheDocument();
  expect(calls.find((c) => c.method === "POST" && c.path === CHANNELS)!.body).toEqual({ kind: "slack", target: "https://example.com/nope", alerts: ["*"], description: null });
  await user.selectOptions(screen.getByLabelText("Channel"), "email");
  expect(screen.getByLabelText("E-mail address")).toHaveAttribute("type", "email");
});

test("empty lists say so", async () => {
  const { fetcher } = api({ [`GET ${ENDPOINTS}`]: () => ({ body: { webhook_endpoints: [] } }), [`GET ${CHANNELS}`]: () => ({ body: { notification_channels: [] } }) });
  renderPage(<Webhooks />, { fetcher, session: carol });
  expect(await screen.findByText("No webhook endpoints yet")).toBeInTheDocument();
  expect(await screen.findByText("No alert channels yet")).toBeInTheDocument();
});

test("a typed list is split on commas and spaces, without repeats", () => {
  expect(splitList(" payment.*, invoice.created  payment.* ,")).toEqual(["payment.*", "invoice.created"]);
});
