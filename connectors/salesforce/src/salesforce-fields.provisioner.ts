/**
 * Creates Fieldcast's custom fields with the Tooling API, grants the integration user Read + Edit on
 * them through FieldPermissions on its permission set (a new field is invisible to everyone until
 * then), and re-reads describe to report which fields are really writable.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm
 */
import { ConnectorException, type FieldProvisionResult, type FieldSpec } from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import { mapFieldSpecToSalesforceMetadata, salesforceFieldNameProblem } from './mappers/salesforce-field.mapper';
import { parseSalesforceError } from './salesforce-error.parser';

type SalesforceCall = <T>(endpoint: string, kind: 'read' | 'write', call: (conn: Connection) => PromiseLike<T>) => Promise<T>;

export interface SalesforceDescribedField {
  name: string;
  label: string;
  updateable: boolean;
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15,18}$/;

function quote(id: string): string {
  if (!SALESFORCE_ID.test(id)) throw new ConnectorException('CONFIG', `'${id}' is not a Salesforce id`);
  return `'${id}'`;
}

/** The permission set whose FieldPermissions apply to the integration user: a configured one, else its profile's. */
export async function findSalesforcePermissionSet(call: SalesforceCall, integrationUserId: string, configured?: string): Promise<string> {
  if (configured) return configured;
  const assignments = await call('GET query PermissionSetAssignment', 'read', (conn) =>
    conn.query<{ PermissionSetId: string }>(
      `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${quote(integrationUserId)}`,
    ),
  );
  const ids = assignments.records.map((r) => r.PermissionSetId);
  if (!ids.length) {
    throw new ConnectorException(
      'PERMISSION',
      `the integration user ${integrationUserId} has no permission set assignment Fieldcast could grant field access on`,
    );
  }
  const sets = await call('GET query PermissionSet', 'read', (conn) =>
    conn.query<{ Id: string; IsOwnedByProfile: boolean }>(
      `SELECT Id, IsOwnedByProfile FROM PermissionSet WHERE Id IN (${ids.map(quote).join(', ')})`,
    ),
  );
  return (sets.records.find((s) => s.IsOwnedByProfile) ?? sets.records[0] ?? { Id: ids[0] }).Id;
}

/** The field type as Setup names it, for instructions to an admin. */
export function salesforceFieldTypeLabel(spec: FieldSpec): string {
  const metadata = mapFieldSpecToSalesforceMetadata(spec);
  switch (metadata.type) {
    case 'Number':
      return `Number(${Number(metadata.precision) - Number(metadata.scale)}, ${String(metadata.scale)})`;
    case 'Percent':
      return `Percent(${Number(metadata.precision) - Number(metadata.scale)}, ${String(metadata.scale)})`;
    case 'Text':
      return `Text(${String(metadata.length)})`;
    case 'LongTextArea':
      return `Long Text Area(${String(metadata.length)})`;
    default:
      return metadata.type;
  }
}

export async function provisionSalesforceFields(
  call: SalesforceCall,
  sobject: string,
  fields: FieldSpec[],
  integrationUserId: string,
  describe: () => Promise<SalesforceDescribedField[]>,
  configuredPermissionSetId?: string,
): Promise<FieldProvisionResult> {
  const results: FieldProvisionResult['fields'] = [];
  const invalid = fields.map((f) => [f, salesforceFieldNameProblem(f.name)] as const).filter(([, p]) => p);
  if (invalid.length) {
    throw new ConnectorException('VALIDATION', `invalid Salesforce field names: ${invalid.map(([, p]) => p).join('; ')}`);
  }
  // https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/intro_rest_resources.htm (tooling query)
  const existing = await call('GET tooling/query CustomField', 'read', (conn) =>
    conn.tooling.query<{ DeveloperName: string }>(`SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = '${sobject}'`),
  );
  const existingNames = new Set(existing.records.map((r) => `${r.DeveloperName}__c`.toLowerCase()));
  for (const spec of fields) {
    if (existingNames.has(spec.name.toLowerCase())) {
      results.push({ key: spec.key, name: spec.name, status: 'exists', writable: false });
      continue;
    }
    try {
      await call('POST tooling/sobjects/CustomField', 'write', (conn) =>
        conn.tooling
          .sobject('CustomField')
          .create({ FullName: `${sobject}.${spec.name}`, Metadata: mapFieldSpecToSalesforceMetadata(spec) }),
      );
      results.push({ key: spec.key, name: spec.name, status: 'created', writable: false });
    } catch (error) {
      const parsed = parseSalesforceError(error, 'create custom field');
      if (parsed.vendorCode === 'DUPLICATE_DEVELOPER_NAME') {
        results.push({ key: spec.key, name: spec.name, status: 'exists', writable: false });
      } else if (parsed.isTransient || parsed.code === 'AUTH_EXPIRED') {
        throw parsed;
      } else {
        const message =
          parsed.code === 'PERMISSION'
            ? `Salesforce refused to create ${spec.name} on ${sobject}: the integration user lacks the "Customize Application" permission. Grant it and retry, or have an admin create the field "${spec.label}" (API name ${spec.name}, type ${salesforceFieldTypeLabel(spec)}) in Setup → Object Manager → ${sobject} → Fields & Relationships.`
            : parsed.message;
        results.push({ key: spec.key, name: spec.name, status: 'failed', writable: false, message });
      }
    }
  }

  const permissionSetId = await findSalesforcePermissionSet(call, integrationUserId, configuredPermissionSetId);
  const grants = await call('GET query FieldPermissions', 'read', (conn) =>
    conn.query<{ Id: string; Field: string; PermissionsRead: boolean; PermissionsEdit: boolean }>(
      `SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${quote(permissionSetId)} AND SobjectType = '${sobject}'`,
    ),
  );
  const grantByField = new Map(grants.records.map((g) => [g.Field.toLowerCase(), g]));
  for (const result of results) {
    if (result.status === 'failed') continue;
    const fullName = `${sobject}.${result.name}`;
    const grant = grantByField.get(fullName.toLowerCase());
    try {
      if (!grant) {
        await call('POST sobjects/FieldPermissions', 'write', (conn) =>
          conn
            .sobject('FieldPermissions')
            .create({ ParentId: permissionSetId, SobjectType: sobject, Field: fullName, PermissionsRead: true, PermissionsEdit: true }),
        );
      } else if (!grant.PermissionsRead || !grant.PermissionsEdit) {
        await call('PATCH sobjects/FieldPermissions', 'write', (conn) =>
          conn.sobject('FieldPermissions').update({ Id: grant.Id, PermissionsRead: true, PermissionsEdit: true }),
        );
      }
    } catch (error) {
      const parsed = parseSalesforceError(error, 'grant field permission');
      if (parsed.isTransient || parsed.code === 'AUTH_EXPIRED') throw parsed;
      const label = fields.find((f) => f.key === result.key)?.label ?? result.name;
      result.message =
        parsed.code === 'PERMISSION'
          ? `${result.name} exists on ${sobject}, but Fieldcast could not give the integration user access to it: it lacks "Manage Profiles and Permission Sets". In Setup → Object Manager → ${sobject} → Fields & Relationships → ${label} → Set Field-Level Security, tick Visible (and not Read-Only) for the integration user's profile.`
          : `${result.name} exists on ${sobject}, but granting the integration user access failed: ${parsed.message}`;
    }
  }

  const described = new Map((await describe()).map((f) => [f.name.toLowerCase(), f]));
  for (const result of results) {
    const field = described.get(result.name.toLowerCase());
    result.writable = field?.updateable === true;
    if (!result.writable && result.status !== 'failed') {
      result.message ??= field
        ? `${result.name} is read-only for the integration user`
        : `${result.name} is still not visible to the integration user`;
    }
  }
  return { fields: results };
}
