/**
 * Fuzz of the webhook and scoring endpoints (issue 8): malformed, mutated, oversized and forged
 * requests from a seeded generator, sent over HTTP to 127.0.0.1. The claim: 0 accepted (no 2xx),
 * 0 stored (webhook_inbox unchanged), 0 server errors (no 5xx, no dropped connection).
 *
 *   node scripts/run-ts.mjs bench/webhook-fuzz.bench.ts [count=10000] [seed=1]
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder. The e2e test
 * (apps/api/test/webhooks-fuzz.e2e-spec.ts) runs a smaller sample of the same generator.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { computeHubSpotSignatureV3, computeZendeskSignature } from '@fieldcast/common';
import { createApiKey, createConnection, startApiBed, storeLeadChampion, withBenchDatabase, type ApiBed } from './api-bench.bed';

export interface FuzzTargets {
  baseUrl: string;
  hubspot: { connectionId: string; secret: string };
  zendesk: { connectionId: string; secret: string };
  salesforce: { connectionId: string; pathSecret: string; organizationId: string };
  /** A valid key with every scope: requests must fail on their body, not on the key. */
  apiKey: string;
}

export interface FuzzCase {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface FuzzReport {
  sent: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  accepted: FuzzCase[];
  serverErrors: Array<{ kind: string; status: number | string; path: string }>;
  elapsedMs: number;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '"',
  '\\u0000',
  '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(5000),
  '{"a":'.repeat(2000),
  '\u202e\ufeff',
  '%00%2e%2e/',
  '1e999999',
  '-0',
  '🙂'.repeat(100),
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/xml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/soap+xml',
  'application/json; charset=latin1',
];

function hubspotEvents(r: () => number): string {
  const n = 1 + Math.floor(r() * 5);
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      eventId: Math.floor(r() * 1e9),
      subscriptionId: 100 + i,
      portalId: 1234,
      occurredAt: Date.now(),
      subscriptionType: r() < 0.5 ? 'contact.propertyChange' : 'ticket.creation',
      objectId: Math.floor(r() * 1e6),
      propertyName: 'email',
      attemptNumber: 0,
    })),
  );
}

function zendeskEvent(r: () => number): string {
  const ticket = String(1 + Math.floor(r() * 1e6));
  return JSON.stringify({
    type: 'zen:event-type:ticket.status_changed',
    id: randomUUID(),
    time: new Date().toISOString(),
    subject: `zen:ticket:${ticket}`,
    detail: { id: ticket, actor_id: '5' },
  });
}

function outbound(org: string, r: () => number): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${org}</OrganizationId><ActionId>04k</ActionId><Notification><Id>04l${Math.floor(r() * 1e9)}</Id><sObject xsi:type="sf:Lead" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00Q${Math.floor(r() * 1e9)}</sf:Id></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
}

/** Always returns different bytes: a "mutation" that happens to give back the signed body would be a valid request. */
function mutate(body: string, r: () => number): string {
  const mutated = mutateOnce(body, r);
  return mutated === body ? `${body}x` : mutated;
}

function mutateOnce(body: string, r: () => number): string {
  if (body.length === 0) return 'x';
  const at = Math.floor(r() * body.length);
  switch (Math.floor(r() * 5)) {
    case 0: // flip one character
      return (
        body.slice(0, at) + String.fromCharCode((body.charCodeAt(at) ^ (1 + Math.floor(r() * 31))) & 0x7f || 0x21) + body.slice(at + 1)
      );
    case 1: // truncate
      return body.slice(0, at);
    case 2: // insert junk
      return body.slice(0, at) + NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)] + body.slice(at);
    case 3: // trailing whitespace (changes the signed bytes, not the JSON)
      return `${body} `;
    default: // duplicate
      return body + body;
  }
}

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)]!;
}

/** One request that must be refused. Every branch is wrong by construction (unsigned, mis-signed, stale, malformed or too big). */
export function fuzzCase(targets: FuzzTargets, r: () => number): FuzzCase {
  const { hubspot, zendesk, salesforce } = targets;
  const roll = Math.floor(r() * 16);
  const json = (kind: string, p: string, body: string, headers: Record<string, string> = {}): FuzzCase => ({
    kind,
    path: p,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body),
  });
  const hubspotPath = `/webhooks/hubspot/${hubspot.connectionId}`;
  const zendeskPath = `/webhooks/zendesk/${zendesk.connectionId}`;
  const salesforcePath = `/webhooks/salesforce/${salesforce.connectionId}/${salesforce.pathSecret}`;
  const v3 = (secret: string, body: string, ts: number, uri = `${targets.baseUrl}${hubspotPath}`) => ({
    'x-hubspot-request-timestamp': String(ts),
    'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', uri, body, ts),
  });
  const zd = (secret: string, body: string, at: Date) => {
    const ts = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': computeZendeskSignature(secret, ts, body) };
  };
  switch (roll) {
    case 0: {
      const body = hubspotEvents(r);
      return json('hubspot-forged', hubspotPath, body, v3(`forged-${Math.floor(r() * 1e6)}`, body, Date.now()));
    }
    case 1: {
      const body = hubspotEvents(r);
      return json('hubspot-mutated-after-signing', hubspotPath, mutate(body, r), v3(hubspot.secret, body, Date.now()));
    }
    case 2: {
      const body = hubspotEvents(r);
      return json('hubspot-stale', hubspotPath, body, v3(hubspot.secret, body, Date.now() - (301 + Math.floor(r() * 86_400)) * 1000));
    }
    case 3: {
      const body = hubspotEvents(r);
      const headers = v3(hubspot.secret, body, Date.now());
      return json(
        'hubspot-unknown-connection',
        `/webhooks/hubspot/${r() < 0.5 ? randomUUID() : pick(['x', '..%2f..%2fetc', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300)], r)}`,
        body,
        headers,
      );
    }
    case 4: {
      const body = zendeskEvent(r);
      return json('zendesk-forged', zendeskPath, body, zd(`forged-${Math.floor(r() * 1e6)}`, body, new Date()));
    }
    case 5: {
      const body = zendeskEvent(r);
      return json('zendesk-mutated-after-signing', zendeskPath, mutate(body, r), zd(zendesk.secret, body, new Date()));
    }
    case 6: {
      const body = zendeskEvent(r);
      return json(
        'zendesk-stale-or-future',
        zendeskPath,
        body,
        zd(zendesk.secret, body, new Date(Date.now() + (r() < 0.5 ? -1 : 1) * (301 + Math.floor(r() * 86_400)) * 1000)),
      );
    }
    case 7: {
      const body = outbound(r() < 0.5 ? '00D000000000001AAA' : salesforce.organizationId, r);
      const wrongSecret = r() < 0.5;
      let forgedSecret = mutate(salesforce.pathSecret, r).replace(/[^A-Za-z0-9]/g, '');
      if (forgedSecret === salesforce.pathSecret || forgedSecret === '') forgedSecret = `${salesforce.pathSecret}x`;
      const p = wrongSecret ? `/webhooks/salesforce/${salesforce.connectionId}/${forgedSecret}` : salesforcePath;
      // With the right secret the org id is wrong (or the XML is mutated): never authentic.
      const finalBody = wrongSecret
        ? body
        : body.includes(salesforce.organizationId)
          ? mutate(body.replace(salesforce.organizationId, '00D5g000009ZZZZEAK'), r)
          : body;
      return { kind: 'salesforce-forged', path: p, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(finalBody) };
    }
    case 8: {
      const body = Buffer.alloc(256 * 1024 + 1 + Math.floor(r() * 900 * 1024), 0x61);
      const target = pick([hubspotPath, zendeskPath, salesforcePath, '/v1/predict/lead-score'], r);
      return {
        kind: 'oversized',
        path: target,
        headers: {
          'content-type': target.includes('salesforce') ? 'text/xml' : 'application/json',
          authorization: `Bearer ${targets.apiKey}`,
        },
        body,
      };
    }
    case 9: {
      const target = pick([hubspotPath, zendeskPath, salesforcePath], r);
      const body = Buffer.from(Array.from({ length: Math.floor(r() * 2000) }, () => Math.floor(r() * 256)));
      return { kind: 'random-bytes', path: target, headers: { 'content-type': pick(CONTENT_TYPES, r) }, body };
    }
    case 10: {
      const target = pick([hubspotPath, zendeskPath], r);
      return json('nasty-json-unsigned', target, pick(NASTY_STRINGS, r));
    }
    case 11: {
      // Authenticated but unreadable: must be a 4xx, never stored, never a 500.
      const body = pick(['{"not":"an array"}', '{}', '"text"', '{"type":"zen:event-type:ticket.created"}', '{"ticket_id":"../1"}'], r);
      if (r() < 0.5) return json('hubspot-signed-garbage', hubspotPath, body, v3(hubspot.secret, body, Date.now()));
      return json('zendesk-signed-garbage', zendeskPath, body, zd(zendesk.secret, body, new Date()));
    }
    case 12: {
      const task = pick(['lead-score', 'ticket-category', 'escalation-risk'], r);
      const auth = pick(
        [
          undefined,
          'Bearer',
          'Bearer fck_',
          `Bearer fck_${randomUUID()}`,
          `Basic ${Buffer.from('a:b').toString('base64')}`,
          `Bearer ${targets.apiKey}x`,
        ],
        r,
      );
      const body = JSON.stringify({ records: [{ id: 'a', fields: { LeadSource: 'Web' } }] });
      return json('scoring-bad-key', `/v1/predict/${task}`, body, auth ? { authorization: auth } : {});
    }
    case 13: {
      const records = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => ({
        id: `r${i}`,
        fields: { LeadSource: 'Web' } as Record<string, unknown>,
      }));
      const mutations: Array<() => unknown> = [
        () => ({ records: records.map((x, i) => (i === 0 ? { ...x, id: 5 } : x)) }),
        () => ({ records: records.map((x, i) => (i === 0 ? { id: x.id } : x)) }),
        () => ({ records: records.map((x, i) => (i === 0 ? { ...x, fields: { deep: { er: [1, { x: 1 }] } } } : x)) }),
        () => ({ records: [] }),
        () => ({ records, extra: 1 }),
        () => ({ records, connectionId: 'not-a-uuid' }),
        () => ({ records: [...records, records[0]] }),
        () => ({ records: Array.from({ length: 1001 }, (_, i) => ({ id: `x${i}`, fields: {} })) }),
        () => records,
        () => ({ records: 'all of them' }),
        () => ({ records: records.map((x) => ({ ...x, id: '' })) }),
        () => ({ records: records.map((x) => ({ ...x, fields: { n: Number.MAX_VALUE, s: 'x'.repeat(100_001) } })) }),
        () => ({ records, connectionId: randomUUID() }),
        () => null,
      ];
      return json(
        'scoring-invalid-body',
        `/v1/predict/${pick(['lead-score', 'ticket-category', 'escalation-risk'], r)}`,
        JSON.stringify(pick(mutations, r)()),
        {
          authorization: `Bearer ${targets.apiKey}`,
        },
      );
    }
    case 14: {
      const body = JSON.stringify({ records: [{ id: 'a', fields: {} }] });
      return json('scoring-mutated-json', '/v1/predict/lead-score', mutate(body, r).replace(/"records"/, '"rec0rds"'), {
        authorization: `Bearer ${targets.apiKey}`,
      });
    }
    default: {
      const body = JSON.stringify({ records: [{ id: 'a', fields: {} }] });
      return {
        kind: 'scoring-wrong-media-type',
        path: '/v1/predict/lead-score',
        headers: {
          'content-type': pick(
            CONTENT_TYPES.filter((c) => !c.startsWith('application/json')),
            r,
          ),
          authorization: `Bearer ${targets.apiKey}`,
        },
        body: Buffer.from(body),
      };
    }
  }
}

/** Sends `count` generated requests with bounded concurrency; every answer is classified. */
export async function runFuzz(
  targets: FuzzTargets,
  options: { count: number; seed: number; concurrency?: number; deadlineMs?: number },
): Promise<FuzzReport> {
  const r = prng(options.seed);
  const report: FuzzReport = { sent: 0, byStatus: {}, byKind: {}, accepted: [], serverErrors: [], elapsedMs: 0 };
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 600_000);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count && Date.now() < deadline) {
      next += 1;
      const request = fuzzCase(targets, r);
      report.byKind[request.kind] = (report.byKind[request.kind] ?? 0) + 1;
      let status: number | string;
      try {
        const response = await fetch(`${targets.baseUrl}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: new Uint8Array(request.body),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = `network error: ${(error as Error).cause ? String((error as { cause: unknown }).cause) : (error as Error).message}`;
      }
      report.sent += 1;
      report.byStatus[String(status)] = (report.byStatus[String(status)] ?? 0) + 1;
      if (typeof status === 'number' && status >= 200 && status < 300) report.accepted.push(request);
      if (typeof status !== 'number' || status >= 500) report.serverErrors.push({ kind: request.kind, status, path: request.path });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, () => worker()));
  report.elapsedMs = Date.now() - started;
  return report;
}

/** Creates the connections and key the fuzz aims at, on a running bed. */
export async function prepareFuzzTargets(bed: ApiBed): Promise<FuzzTargets> {
  const hubspotSecret = 'fuzz-hubspot-client-secret';
  const zendeskSecret = 'fuzz-zendesk-signing-secret';
  const pathSecret = 'FuzzPathSecret0123456789abcdefXY';
  const organizationId = '00D5g000004XyZaEAK';
  const hubspot = await createConnection(bed.platform, { vendor: 'hubspot', webhookSigningSecret: hubspotSecret });
  const zendesk = await createConnection(bed.platform, { vendor: 'zendesk', webhookSigningSecret: zendeskSecret });
  const salesforce = await createConnection(bed.platform, {
    vendor: 'salesforce',
    webhookPathSecret: pathSecret,
    settings: { organizationId },
  });
  const { key } = await createApiKey(bed.platform);
  return {
    baseUrl: bed.baseUrl,
    hubspot: { connectionId: hubspot.id, secret: hubspotSecret },
    zendesk: { connectionId: zendesk.id, secret: zendeskSecret },
    salesforce: { connectionId: salesforce.id, pathSecret, organizationId },
    apiKey: key,
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  await withBenchDatabase(async (databaseUrl) => {
    const bed = await startApiBed({ databaseUrl });
    try {
      await storeLeadChampion(bed.platform);
      const targets = await prepareFuzzTargets(bed);
      const before = Number(
        ((await bed.platform.dataSource.query('SELECT count(*)::int AS n FROM webhook_inbox')) as Array<{ n: number }>)[0]!.n,
      );
      const report = await runFuzz(targets, { count, seed, concurrency: 8 });
      const after = Number(
        ((await bed.platform.dataSource.query('SELECT count(*)::int AS n FROM webhook_inbox')) as Array<{ n: number }>)[0]!.n,
      );
      console.log(
        `webhook + scoring fuzz: ${report.sent} requests in ${(report.elapsedMs / 1000).toFixed(1)} s (seed ${seed}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)})`,
      );
      console.log(`  by status: ${JSON.stringify(report.byStatus)}`);
      console.log(`  by kind:   ${JSON.stringify(report.byKind)}`);
      console.log(
        `  accepted (2xx): ${report.accepted.length}   stored rows: ${after - before}   server errors (5xx or dropped): ${report.serverErrors.length}`,
      );
      if (report.serverErrors.length) console.log(`  first server errors: ${JSON.stringify(report.serverErrors.slice(0, 5))}`);
      if (report.accepted.length || after !== before || report.serverErrors.length) process.exitCode = 1;
    } finally {
      await bed.close();
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
