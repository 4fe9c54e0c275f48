/**
 * check(): can Fieldcast work with this HubSpot connection? Token and scopes (introspection), read
 * access per stream, and whether the write-back properties exist and are writable — each finding in
 * words an admin can act on.
 * https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/access-tokens/get-oauth-v1-access-tokens-token
 */
import { ConnectorException, type CheckItem, type CheckResult, type FieldSpec } from '@fieldcast/connector-sdk';
import { listHubSpotProperties } from './hubspot-fields.provisioner';
import type { HubSpotSession } from './hubspot-session';
import type { HubSpotStreamDefinition } from './streams/hubspot-stream.types';

const REQUIRED_SCOPES: Record<string, string[]> = {
  contacts: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
  tickets: ['tickets'],
};

interface TokenInfo {
  hubId: number;
  userId: number;
  user?: string;
  hubDomain?: string;
  scopes: string[];
}

export async function checkHubSpotConnection(
  session: HubSpotSession,
  streams: Array<{ stream: HubSpotStreamDefinition; fields: FieldSpec[] }>,
): Promise<CheckResult> {
  const checks: CheckItem[] = [];
  let identity: CheckResult['identity'];
  let scopes: string[] | undefined;
  try {
    const info = await session.call<TokenInfo>('GET /oauth/v1/access-tokens/:token', { kind: 'read' }, (client) =>
      client.oauth.accessTokensApi.getWithHttpInfo(session.accessToken),
    );
    scopes = info.scopes;
    identity = { userId: String(info.userId), name: info.user, organizationId: String(info.hubId) };
    checks.push({
      name: 'credentials',
      status: 'pass',
      message: `Connected to HubSpot portal ${info.hubId}${info.user ? ` as ${info.user}` : ''}`,
    });
  } catch (error) {
    if (error instanceof ConnectorException && error.code === 'NOT_FOUND') {
      // Private-app tokens cannot be introspected; the read checks below still prove access.
      checks.push({
        name: 'credentials',
        status: 'warn',
        message: 'The token could not be introspected (a private-app token?); scopes are checked by trying each call',
      });
    } else if (error instanceof ConnectorException && error.code === 'AUTH_EXPIRED') {
      return {
        ok: false,
        checks: [
          {
            name: 'credentials',
            status: 'fail',
            message: `HubSpot rejected the credentials: ${error.message}`,
            fix: 'Reconnect the HubSpot app in Fieldcast settings (Connections → HubSpot → Reconnect)',
          },
        ],
      };
    } else throw error;
  }

  for (const { stream, fields } of streams) {
    const missingScopes = scopes ? (REQUIRED_SCOPES[stream.objectType] ?? []).filter((s) => !scopes!.includes(s)) : [];
    if (missingScopes.length) {
      checks.push({
        name: `${stream.descriptor.name}: scopes`,
        status: 'fail',
        message: `The HubSpot app is missing the scope(s) ${missingScopes.join(', ')} needed to read and write ${stream.objectType}`,
        fix: 'Add the scopes to the app in HubSpot (Settings → Integrations → Private apps / your app → Scopes) and reconnect',
      });
    }
    try {
      await session.call(`GET /crm/v3/objects/${stream.objectType}`, { kind: 'read' }, (client) =>
        client.crm.objects.basicApi.getPageWithHttpInfo(stream.objectType, 1),
      );
      checks.push({ name: `${stream.descriptor.name}: read`, status: 'pass', message: `Fieldcast can read HubSpot ${stream.objectType}` });
    } catch (error) {
      if (!(error instanceof ConnectorException) || error.code === 'RATE_LIMITED' || error.code === 'TEMPORARY') throw error;
      checks.push({
        name: `${stream.descriptor.name}: read`,
        status: 'fail',
        message: `Fieldcast cannot read HubSpot ${stream.objectType}: ${error.message}`,
        fix: 'Grant the app read access to this object and reconnect',
      });
      continue;
    }
    const properties = await listHubSpotProperties(session, stream.objectType);
    for (const field of fields) {
      const property = properties.get(field.name);
      if (!property) {
        checks.push({
          name: `${stream.descriptor.name}: ${field.name}`,
          status: 'fail',
          message: `The HubSpot property ${field.name} (${field.label}) does not exist on ${stream.objectType}`,
          fix: 'Run field provisioning (Connections → HubSpot → Provision fields); the app needs the crm.schemas.*.write scope for it',
        });
      } else if (property.modificationMetadata?.readOnlyValue) {
        checks.push({
          name: `${stream.descriptor.name}: ${field.name}`,
          status: 'fail',
          message: `The HubSpot property ${field.name} is read-only, so Fieldcast cannot write its ${field.label}`,
          fix: `Choose another property name for "${field.key}" in Fieldcast settings`,
        });
      } else {
        checks.push({
          name: `${stream.descriptor.name}: ${field.name}`,
          status: 'pass',
          message: `${field.label} is written to ${stream.objectType}.${field.name}`,
        });
      }
    }
  }
  return { ok: !checks.some((c) => c.status === 'fail'), checks, ...(identity ? { identity } : {}) };
}
