/**
 * The demo org: its ids, its two users (the integration user Fieldcast connects as, and an admin who
 * stands for "a person editing in the CRM"), the integration user's permission set, and empty tables.
 */
import { salesforceId } from './salesforce-ids';
import type { SalesforceOrgIdentity } from './salesforce-oauth';
import {
  salesforceCaseFields,
  salesforceCustomFieldFields,
  salesforceFieldPermissionsFields,
  salesforceLeadFields,
  salesforcePermissionSetAssignmentFields,
  salesforcePermissionSetFields,
  salesforceUserFields,
} from './salesforce-schema';
import { SalesforceTable, type SalesforceStore } from './salesforce-store';

export interface SalesforceDemoOrg extends SalesforceOrgIdentity {
  adminUserId: string;
  profileId: string;
  /** The integration user's profile permission set: FieldPermissions with this ParentId grant it field access. */
  permissionSetId: string;
}

export function salesforceDemoOrg(clientId: string, clientSecret: string): SalesforceDemoOrg {
  return {
    organizationId: salesforceId('00D', 1),
    integrationUserId: salesforceId('005', 1),
    adminUserId: salesforceId('005', 2),
    profileId: salesforceId('00e', 1),
    permissionSetId: salesforceId('0PS', 1),
    username: 'integration@fieldcast-demo.example',
    displayName: 'Fieldcast Integration',
    email: 'integration@fieldcast-demo.example',
    clientId,
    clientSecret,
  };
}

/** (Re)creates every table and the org's system rows. */
export function buildSalesforceOrg(store: SalesforceStore, org: SalesforceDemoOrg): void {
  store.clearTables();
  store.addTable(new SalesforceTable('Lead', 'Lead', '00Q', salesforceLeadFields()));
  store.addTable(new SalesforceTable('Case', 'Case', '500', salesforceCaseFields()));
  const users = store.addTable(new SalesforceTable('User', 'User', '005', salesforceUserFields()));
  const permissionSets = store.addTable(new SalesforceTable('PermissionSet', 'Permission Set', '0PS', salesforcePermissionSetFields()));
  const assignments = store.addTable(
    new SalesforceTable('PermissionSetAssignment', 'Permission Set Assignment', '0Pa', salesforcePermissionSetAssignmentFields()),
  );
  store.addTable(new SalesforceTable('FieldPermissions', 'Field Permissions', '01k', salesforceFieldPermissionsFields()));
  store.addTable(new SalesforceTable('CustomField', 'Custom Field', '00N', salesforceCustomFieldFields()), true);

  const system = org.adminUserId;
  const integration = store.insert(
    users,
    { FirstName: 'Fieldcast', LastName: 'Integration', Username: org.username, Email: org.email, IsActive: true, ProfileId: org.profileId },
    system,
  );
  const admin = store.insert(
    users,
    {
      FirstName: 'Dana',
      LastName: 'Admin',
      Username: 'admin@fieldcast-demo.example',
      Email: 'admin@fieldcast-demo.example',
      IsActive: true,
      ProfileId: salesforceId('00e', 2),
    },
    system,
  );
  if (integration.Id !== org.integrationUserId || admin.Id !== org.adminUserId)
    throw new Error('demo org ids out of step with the User table');
  const profileSet = store.insert(
    permissionSets,
    { Name: 'X00e5G000000000001', Label: 'Integration User profile', IsOwnedByProfile: true, ProfileId: org.profileId },
    system,
  );
  store.insert(
    permissionSets,
    { Name: 'X00e5G000000000002', Label: 'System Administrator profile', IsOwnedByProfile: true, ProfileId: salesforceId('00e', 2) },
    system,
  );
  store.insert(assignments, { AssigneeId: org.integrationUserId, PermissionSetId: profileSet.Id }, system);
  store.insert(assignments, { AssigneeId: org.adminUserId, PermissionSetId: salesforceId('0PS', 2) }, system);
  store.integrationPermissionSetIds = new Set([profileSet.Id]);
  store.recomputeFieldAccess();
}
