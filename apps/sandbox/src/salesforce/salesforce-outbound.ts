/**
 * Outbound Messages: when a watched record changes, Salesforce POSTs a SOAP `notifications` envelope
 * (up to 100 Notification elements) to the registered endpoint and retries with exponential backoff
 * until the endpoint answers HTTP 200 with `<Ack>true</Ack>`. Redeliveries keep the Notification Id;
 * each delivery carries the record's current field values; there is no signature (authenticity is
 * the OrganizationId, or a secret in the URL).
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html
 */
import { salesforceId } from './salesforce-ids';
import type { SalesforceStore } from './salesforce-store';

export interface SalesforceOutboundEndpoint {
  url: string;
  /** Watched object, e.g. `Lead`. */
  object: string;
  /** Fields sent in each sObject (Id is always first). */
  fields: string[];
  actionId: string;
}

export interface SalesforceOutboundSettings {
  /** First retry delay; doubles per attempt (the platform uses 30 s). */
  retryBaseMs: number;
  /** Longest retry delay (the platform caps at 2 h). */
  retryMaxMs: number;
  /** Messages older than this are dropped (the platform keeps trying for 24 h). */
  giveUpAfterMs: number;
}

interface PendingNotification {
  notificationId: string;
  endpoint: SalesforceOutboundEndpoint;
  recordId: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
}

export interface SalesforceOutboundDelivery {
  at: string;
  url: string;
  notificationIds: string[];
  status: number | null;
  acknowledged: boolean;
  error?: string;
}

const DEFAULT_FIELDS: Record<string, string[]> = {
  Lead: ['Id', 'LastModifiedById', 'SystemModstamp', 'Email', 'Company', 'Status', 'IsConverted'],
  Case: ['Id', 'LastModifiedById', 'SystemModstamp', 'Subject', 'Status', 'Priority', 'IsEscalated'],
};

const DATETIME_REST = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const ACK = /<(?:\w+:)?Ack>\s*true\s*<\/(?:\w+:)?Ack>/;

function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export class SalesforceOutboundMessenger {
  private endpoints: SalesforceOutboundEndpoint[] = [];
  private pending: PendingNotification[] = [];
  private readonly log: SalesforceOutboundDelivery[] = [];
  private counter = 0;
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  settings: SalesforceOutboundSettings = { retryBaseMs: 30_000, retryMaxMs: 2 * 3600_000, giveUpAfterMs: 24 * 3600_000 };

  constructor(
    private readonly store: SalesforceStore,
    private readonly org: { organizationId: string },
    private readonly baseUrl: () => string,
  ) {
    store.onChange((object, ids) => this.enqueue(object, ids));
  }

  register(url: string, object: string, fields?: string[]): SalesforceOutboundEndpoint {
    this.endpoints = this.endpoints.filter((e) => !(e.url === url && e.object === object));
    const endpoint: SalesforceOutboundEndpoint = {
      url,
      object,
      fields: ['Id', ...(fields ?? DEFAULT_FIELDS[object] ?? []).filter((f) => f !== 'Id')],
      actionId: salesforceId('04k', this.endpoints.length + 1),
    };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  unregisterAll(): void {
    this.endpoints = [];
    this.pending = [];
  }

  listEndpoints(): SalesforceOutboundEndpoint[] {
    return this.endpoints;
  }

  status(): {
    endpoints: SalesforceOutboundEndpoint[];
    pending: number;
    deliveries: SalesforceOutboundDelivery[];
    settings: SalesforceOutboundSettings;
  } {
    return { endpoints: this.endpoints, pending: this.pending.length, deliveries: this.log.slice(-100), settings: this.settings };
  }

  /** Queues one notification per record and watching endpoint; delivery happens on the timer. */
  enqueue(object: string, ids: string[]): number {
    let queued = 0;
    const now = Date.now();
    for (const endpoint of this.endpoints) {
      if (endpoint.object !== object) continue;
      for (const recordId of ids) {
        this.counter += 1;
        this.pending.push({
          notificationId: salesforceId('04l', this.counter),
          endpoint,
          recordId,
          createdAt: now,
          attempts: 0,
          nextAttemptAt: now,
        });
        queued++;
      }
    }
    if (queued) this.schedule(0);
    return queued;
  }

  /** Delivers everything that is due now (POST /__sandbox/webhooks/fire waits for this). Runs one at a time. */
  flush(): Promise<SalesforceOutboundDelivery[]> {
    const run = this.chain.then(() => this.deliverDue());
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async deliverDue(): Promise<SalesforceOutboundDelivery[]> {
    const results: SalesforceOutboundDelivery[] = [];
    const now = Date.now();
    this.pending = this.pending.filter((p) => now - p.createdAt < this.settings.giveUpAfterMs);
    const groups = new Map<SalesforceOutboundEndpoint, PendingNotification[]>();
    for (const p of this.pending) {
      if (p.nextAttemptAt > now) continue;
      const list = groups.get(p.endpoint);
      if (list) list.push(p);
      else groups.set(p.endpoint, [p]);
    }
    for (const [endpoint, items] of groups) {
      for (let i = 0; i < items.length; i += 100) results.push(await this.deliver(endpoint, items.slice(i, i + 100)));
    }
    this.scheduleNext();
    return results;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The exact envelope of vendor-apis.md 1.8, one Notification per record. */
  envelope(endpoint: SalesforceOutboundEndpoint, items: PendingNotification[]): string {
    const table = this.store.table(endpoint.object);
    const org15 = this.org.organizationId.slice(0, 15);
    const base = this.baseUrl();
    const notifications = items
      .map((item) => {
        const record = table?.get(item.recordId);
        const values = endpoint.fields
          .map((f) => {
            const v = record?.[f];
            if (v === null || v === undefined) return '';
            // SOAP carries xsd:dateTime (`…Z`), not the REST form (`…+0000`).
            const text = typeof v === 'string' && DATETIME_REST.test(v) ? `${v.slice(0, -5)}Z` : String(v);
            return `\n     <sf:${f}>${xmlEscape(text)}</sf:${f}>`;
          })
          .join('');
        return `
   <Notification>
    <Id>${item.notificationId}</Id>
    <sObject xsi:type="sf:${endpoint.object}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${values}
    </sObject>
   </Notification>`;
      })
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${this.org.organizationId}</OrganizationId>
   <ActionId>${endpoint.actionId}</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>${base}/services/Soap/c/62.0/${org15}</EnterpriseUrl>
   <PartnerUrl>${base}/services/Soap/u/62.0/${org15}</PartnerUrl>${notifications}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
  }

  private async deliver(endpoint: SalesforceOutboundEndpoint, items: PendingNotification[]): Promise<SalesforceOutboundDelivery> {
    const delivery: SalesforceOutboundDelivery = {
      at: new Date().toISOString(),
      url: endpoint.url,
      notificationIds: items.map((i) => i.notificationId),
      status: null,
      acknowledged: false,
    };
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'User-Agent': 'Salesforce - OutboundMessage' },
        body: this.envelope(endpoint, items),
        signal: AbortSignal.timeout(10_000),
      });
      delivery.status = response.status;
      delivery.acknowledged = response.status === 200 && ACK.test(await response.text());
    } catch (error) {
      delivery.error = (error as Error).message;
    }
    const sent = new Set(items);
    if (delivery.acknowledged) {
      this.pending = this.pending.filter((p) => !sent.has(p));
    } else {
      for (const item of items) {
        item.attempts += 1;
        item.nextAttemptAt = Date.now() + Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (item.attempts - 1));
      }
    }
    this.log.push(delivery);
    if (this.log.length > 1000) this.log.splice(0, this.log.length - 1000);
    return delivery;
  }

  private scheduleNext(): void {
    if (!this.pending.length) return;
    const next = Math.min(...this.pending.map((p) => p.nextAttemptAt));
    this.schedule(Math.max(0, next - Date.now()));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    // Pending retries must not keep a test process or the CLI alive.
    this.timer.unref();
  }
}
