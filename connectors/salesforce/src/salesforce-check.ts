/**
 * check(): can Fieldcast sign in, read the synced objects and write its own fields? Every failure says
 * what is wrong and where an admin fixes it in Salesforce Setup.
 */
import type { CheckItem, CheckResult, FieldSpec } from '@fieldcast/connector-sdk';
import { ConnectorException } from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import type { SalesforceDescribedField } from './salesforce-fields.provisioner';
import type { SalesforceStreamDefinition } from './streams/salesforce-stream.types';

type SalesforceCall = <T>(endpoint: string, kind: 'read' | 'write', call: (conn: Connection) => PromiseLike<T>) => Promise<T>;

export interface SalesforceCheckInput {
  call: SalesforceCall;
  streams: Array<{ stream: SalesforceStreamDefinition; fields: FieldSpec[] }>;
  describe(sobject: string): Promise<SalesforceDescribedField[]>;
  budgetShare: number;
}

export async function checkSalesforceConnection(input: SalesforceCheckInput): Promise<CheckResult> {
  const checks: CheckItem[] = [];
  let me: { user_id: string; username: string; organization_id: string };
  try {
    me = await input.call('GET identity', 'read', (conn) => conn.identity());
  } catch (error) {
    const e = error as ConnectorException;
    checks.push({
      name: 'authentication',
      status: 'fail',
      message: `Fieldcast cannot sign in to Salesforce: ${e.message}`,
      fix:
        e.code === 'AUTH_EXPIRED'
          ? 'Reconnect Salesforce in Fieldcast (Settings → Connections → Reconnect) and approve access.'
          : 'Check the instance URL and that the org is reachable, then retry.',
    });
    return { ok: false, checks };
  }
  const identity: CheckResult['identity'] = { userId: me.user_id, name: me.username, organizationId: me.organization_id };
  const username = me.username;
  checks.push({ name: 'authentication', status: 'pass', message: `Connected to org ${me.organization_id} as ${me.username}` });

  try {
    const limits = await input.call('GET limits', 'read', (conn) => conn.limits());
    const daily = limits.DailyApiRequests;
    const used = daily.Max - daily.Remaining;
    const share = daily.Max ? used / daily.Max : 0;
    checks.push({
      name: 'api-limit',
      status: share >= input.budgetShare ? 'warn' : 'pass',
      message: `${used.toLocaleString('en-US')} of ${daily.Max.toLocaleString('en-US')} daily API requests used; Fieldcast stays below ${Math.round(input.budgetShare * 100)} %`,
      fix:
        share >= input.budgetShare
          ? 'Other integrations use most of the daily API allocation; Fieldcast will wait until the rolling 24 h window frees up.'
          : undefined,
    });
  } catch (error) {
    checks.push({ name: 'api-limit', status: 'warn', message: `Could not read the org's API limits: ${(error as Error).message}` });
  }

  for (const { stream, fields } of input.streams) {
    let described: SalesforceDescribedField[];
    try {
      described = await input.describe(stream.sobject);
    } catch (error) {
      checks.push({
        name: `read ${stream.sobject}`,
        status: 'fail',
        message: `${username} cannot read ${stream.sobject} records: ${(error as Error).message}`,
        fix: `In Setup → Users → ${username} → Profile / Permission Sets, grant Read on ${stream.sobject} and the API Enabled permission.`,
      });
      continue;
    }
    const byName = new Map(described.map((f) => [f.name.toLowerCase(), f]));
    const missing = stream.requiredFields.filter((f) => !byName.has(f.toLowerCase()));
    checks.push(
      missing.length
        ? {
            name: `read ${stream.sobject}`,
            status: 'fail',
            message: `${username} cannot see these ${stream.sobject} fields Fieldcast learns from: ${missing.join(', ')}`,
            fix: `In Setup → Object Manager → ${stream.sobject} → Fields & Relationships, open each field → Set Field-Level Security and tick Visible for ${username}'s profile.`,
          }
        : { name: `read ${stream.sobject}`, status: 'pass', message: `${username} can read every ${stream.sobject} field Fieldcast needs` },
    );
    for (const spec of fields) {
      const field = byName.get(spec.name.toLowerCase());
      const name = `write ${stream.sobject}.${spec.name}`;
      if (!field) {
        checks.push({
          name,
          status: 'fail',
          message: `The field "${spec.label}" (${spec.name}) on ${stream.sobject} does not exist or is hidden from ${username}, so Fieldcast cannot write ${spec.key.replace(/_/g, ' ')} there.`,
          fix: `Let Fieldcast create it (Settings → Fields → Create fields), or in Setup → Object Manager → ${stream.sobject} → Fields & Relationships → ${spec.label} → Set Field-Level Security, tick Visible for ${username}'s profile or permission set.`,
        });
      } else if (!field.updateable) {
        checks.push({
          name,
          status: 'fail',
          message: `${username} can see "${field.label}" (${spec.name}) on ${stream.sobject} but cannot edit it.`,
          fix: `In Setup → Object Manager → ${stream.sobject} → Fields & Relationships → ${field.label} → Set Field-Level Security, untick Read-Only for ${username}'s profile or permission set.`,
        });
      } else {
        checks.push({ name, status: 'pass', message: `${username} can write ${spec.name} on ${stream.sobject}` });
      }
    }
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks, identity };
}
