/**
 * Webhook ingress under load (issue 8): signed HubSpot deliveries (v3, batches of 10 events, the way
 * HubSpot batches) at a fixed rate, open loop, for a bounded time; then every event is looked for in
 * webhook_inbox and every stored row for its queued job. Reports lost events (acknowledged but not
 * stored, or not acknowledged), the acknowledgement latency p50/p99, and CPU per request.
 * Goal (issue 8): 1,000 events/s for 60 s, 0 lost, p99 ack < 100 ms.
 *
 *   node scripts/run-ts.mjs bench/webhook-ingress.bench.ts [eventsPerSecond=1000] [seconds=20] [eventsPerRequest=10]
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder. The load client runs
 * in the same process as the server.
 */
import os from 'node:os';
import { computeHubSpotSignatureV3 } from '@fieldcast/common';
import { createConnection, openLoop, percentile, startApiBed, withBenchDatabase } from './api-bench.bed';

async function main(): Promise<void> {
  const eventsPerSecond = Number(process.argv[2] ?? 1000);
  const seconds = Number(process.argv[3] ?? 20);
  const batch = Number(process.argv[4] ?? 10);
  await withBenchDatabase(async (databaseUrl) => {
    const bed = await startApiBed({ databaseUrl });
    try {
      const secret = 'bench-hubspot-client-secret';
      const connection = await createConnection(bed.platform, { vendor: 'hubspot', webhookSigningSecret: secret });
      const path = `/webhooks/hubspot/${connection.id}`;
      const uri = `${bed.baseUrl}${path}`;
      let eventSeq = 0;
      const deliver = async (label: string): Promise<number> => {
        const events = Array.from({ length: batch }, () => {
          eventSeq += 1;
          return {
            eventId: eventSeq,
            subscriptionId: 101,
            portalId: 777,
            appId: 1,
            occurredAt: Date.now(),
            subscriptionType: 'contact.propertyChange',
            attemptNumber: 0,
            objectId: 100_000 + (eventSeq % 5_000),
            propertyName: `${label}prop`,
            propertyValue: 'x',
            changeSource: 'CRM_UI',
          };
        });
        const body = JSON.stringify(events);
        const timestamp = String(Date.now());
        const response = await fetch(uri, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hubspot-request-timestamp': timestamp,
            'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', uri, body, timestamp),
          },
          body,
        });
        await response.arrayBuffer();
        return response.status;
      };
      await openLoop(20, 2_000, () => deliver('warm'));
      const warmEvents = eventSeq;
      const rate = eventsPerSecond / batch;
      console.log(
        `webhook ingress bench: ${eventsPerSecond} events/s as ${rate} HubSpot requests/s of ${batch} events, ${seconds} s (${os.cpus().length} CPUs, load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
      );
      const result = await openLoop(rate, seconds * 1000, () => deliver('load'));
      const sentEvents = eventSeq - warmEvents;
      const [{ stored }] = (await bed.platform.dataSource.query(
        `SELECT count(*)::int AS stored FROM webhook_inbox WHERE connection_id = $1 AND event_id LIKE '%:loadprop:%'`,
        [connection.id],
      )) as Array<{ stored: number }>;
      const [{ jobs }] = (await bed.platform.dataSource.query(
        `SELECT count(*)::int AS jobs FROM pgboss.job j JOIN webhook_inbox w ON w.id::text = j.data->>'inboxId' WHERE j.name = 'fieldcast-webhook' AND w.event_id LIKE '%:loadprop:%'`,
      )) as Array<{ jobs: number }>;
      const acknowledgedEvents = result.ok * batch;
      console.log(
        `  requests: ${result.sent} sent, ${result.ok} acknowledged 2xx, failed ${JSON.stringify(result.failed)} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      );
      console.log(
        `  events: ${sentEvents} sent, ${acknowledgedEvents} acknowledged, ${stored} stored, ${jobs} jobs queued; lost (acknowledged but not stored) ${Math.max(0, acknowledgedEvents - stored)}, not acknowledged ${sentEvents - acknowledgedEvents}`,
      );
      console.log(
        `  ack latency: p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p90 ${percentile(result.latenciesMs, 90).toFixed(1)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(1)} ms, max ${percentile(result.latenciesMs, 100).toFixed(1)} ms; max client start lag ${result.maxStartLagMs.toFixed(1)} ms; CPU ${result.cpuMsPerRequest.toFixed(2)} ms/request (server + client, PostgreSQL not included)`,
      );
      console.log(
        `  load average after: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      if (stored < acknowledgedEvents) process.exitCode = 1;
    } finally {
      await bed.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
