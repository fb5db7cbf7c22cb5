import { NotificationChannels } from "../components/automations/NotificationChannels";
import { WebhookEndpoints } from "../components/automations/WebhookEndpoints";
import { PageHeader } from "../components/Layout";
import { useTenantId } from "../tenant/useTenant";

/** Administrators: this organisation's outgoing webhooks and the alerts the team receives. */
export default function Webhooks() {
  const tenantId = useTenantId();
  return (
    <section>
      <PageHeader title="Webhooks & alerts" />
      <div className="grid gap-6 lg:grid-cols-2">
        <WebhookEndpoints tenantId={tenantId} />
        <NotificationChannels tenantId={tenantId} />
      </div>
    </section>
  );
}
