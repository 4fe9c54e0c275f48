/**
 * Provisions Fieldcast's write-back properties: the `fieldcast` property group, then one property per
 * FieldSpec (409 means it already exists, which is fine when its type matches). Writability is read
 * from the property's modificationMetadata.readOnlyValue.
 * https://developers.hubspot.com/docs/api/crm/properties
 */
import { ConnectorException, type FieldProvisionResult, type FieldSpec } from '@fieldcast/connector-sdk';
import type { HubSpotSession } from './hubspot-session';
import { expectedHubSpotType, mapFieldSpecToHubSpotProperty } from './mappers/hubspot-property.mapper';
import { HUBSPOT_FIELDCAST_GROUP } from './streams/hubspot-field-specs';

interface HubSpotProperty {
  name: string;
  type: string;
  groupName?: string;
  modificationMetadata?: { readOnlyValue?: boolean };
}

async function ensureGroup(session: HubSpotSession, objectType: string): Promise<void> {
  try {
    // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/post-crm-v3-properties-objectType-groups
    await session.call(`POST /crm/v3/properties/${objectType}/groups`, { kind: 'write' }, (client) =>
      client.crm.properties.groupsApi.createWithHttpInfo(objectType, {
        name: HUBSPOT_FIELDCAST_GROUP.name,
        label: HUBSPOT_FIELDCAST_GROUP.label,
        displayOrder: -1,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConnectorException && error.httpStatus === 409)) throw error;
  }
}

export async function listHubSpotProperties(session: HubSpotSession, objectType: string): Promise<Map<string, HubSpotProperty>> {
  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/get-crm-v3-properties-objectType
  const all = await session.call<{ results: HubSpotProperty[] }>(`GET /crm/v3/properties/${objectType}`, { kind: 'read' }, (client) =>
    client.crm.properties.coreApi.getAllWithHttpInfo(objectType),
  );
  return new Map(all.results.map((p) => [p.name, p]));
}

export async function provisionHubSpotFields(
  session: HubSpotSession,
  objectType: string,
  fields: FieldSpec[],
): Promise<FieldProvisionResult> {
  try {
    await ensureGroup(session, objectType);
  } catch (error) {
    // Without the schema scope nothing can be created: say so per field, with what the admin must grant.
    if (!(error instanceof ConnectorException && error.code === 'PERMISSION')) throw error;
    const message = `${error.message}. Grant the app the scope and reconnect, then provision again.`;
    return { fields: fields.map((f) => ({ key: f.key, name: f.name, status: 'failed', writable: false, message })) };
  }
  const existing = await listHubSpotProperties(session, objectType);
  const out: FieldProvisionResult['fields'] = [];
  for (const spec of fields) {
    const found = existing.get(spec.name);
    if (found) {
      const typeOk = found.type === expectedHubSpotType(spec);
      out.push({
        key: spec.key,
        name: spec.name,
        status: typeOk ? 'exists' : 'failed',
        writable: typeOk && found.modificationMetadata?.readOnlyValue !== true,
        ...(typeOk
          ? {}
          : {
              message: `property ${spec.name} exists with type ${found.type}, but Fieldcast writes ${expectedHubSpotType(spec)}; rename the field in Fieldcast settings or delete the property in HubSpot`,
            }),
      });
      continue;
    }
    try {
      // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/post-crm-v3-properties-objectType
      const created = await session.call<HubSpotProperty>(`POST /crm/v3/properties/${objectType}`, { kind: 'write' }, (client) =>
        client.crm.properties.coreApi.createWithHttpInfo(
          objectType,
          mapFieldSpecToHubSpotProperty(spec, HUBSPOT_FIELDCAST_GROUP.name) as never,
        ),
      );
      out.push({ key: spec.key, name: spec.name, status: 'created', writable: created.modificationMetadata?.readOnlyValue !== true });
    } catch (error) {
      if (error instanceof ConnectorException && error.httpStatus === 409) {
        out.push({ key: spec.key, name: spec.name, status: 'exists', writable: true });
        continue;
      }
      if (error instanceof ConnectorException && (error.code === 'VALIDATION' || error.code === 'PERMISSION')) {
        out.push({ key: spec.key, name: spec.name, status: 'failed', writable: false, message: error.message });
        continue;
      }
      throw error;
    }
  }
  return { fields: out };
}
