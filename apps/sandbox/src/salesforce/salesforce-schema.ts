/**
 * Field definitions of the sObjects the sandbox serves, and the describe output built from them
 * (shape of jsforce's `DescribeSObjectResult` / `Field` in src/types/common.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_describe.htm
 */
export type SalesforceFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

export interface SalesforceFieldDef {
  name: string;
  label: string;
  type: SalesforceFieldType;
  length?: number;
  precision?: number;
  scale?: number;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  defaultValue?: string | boolean | number | null;
  /** Created through the Tooling API: hidden from the integration user until FieldPermissions grant it. */
  needsFieldPermission?: boolean;
  /** Tooling id (00N...) of a custom field created through the Tooling API. */
  toolingId?: string;
}

type FieldOptions = Partial<Omit<SalesforceFieldDef, 'name' | 'type'>>;

export function field(name: string, type: SalesforceFieldType, options: FieldOptions = {}): SalesforceFieldDef {
  const readOnly = type === 'id';
  return {
    name,
    label:
      options.label ??
      name
        .replace(/__c$/, '')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    custom: name.endsWith('__c'),
    createable: !readOnly,
    updateable: !readOnly,
    nillable: !readOnly && type !== 'boolean',
    length: DEFAULT_LENGTH[type],
    ...options,
  };
}

const DEFAULT_LENGTH: Partial<Record<SalesforceFieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32000,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
};

const SYSTEM = { createable: false, updateable: false };

/** Audit fields every object has; the store stamps them on every write. */
export function auditFields(): SalesforceFieldDef[] {
  return [
    field('Id', 'id', { label: 'Record ID', nillable: false }),
    field('IsDeleted', 'boolean', { label: 'Deleted', ...SYSTEM, nillable: false }),
    field('CreatedDate', 'datetime', { label: 'Created Date', ...SYSTEM, nillable: false }),
    field('CreatedById', 'reference', { label: 'Created By ID', ...SYSTEM, nillable: false, referenceTo: ['User'] }),
    field('LastModifiedDate', 'datetime', { label: 'Last Modified Date', ...SYSTEM, nillable: false }),
    field('LastModifiedById', 'reference', { label: 'Last Modified By ID', ...SYSTEM, nillable: false, referenceTo: ['User'] }),
    field('SystemModstamp', 'datetime', { label: 'System Modstamp', ...SYSTEM, nillable: false }),
  ];
}

export const SALESFORCE_LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];
export const SALESFORCE_CASE_PRIORITIES = ['Low', 'Medium', 'High', 'Critical'];

export function salesforceLeadFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('FirstName', 'string', { label: 'First Name', length: 40 }),
    field('LastName', 'string', { label: 'Last Name', length: 80, nillable: false }),
    field('Name', 'string', { label: 'Full Name', length: 121, ...SYSTEM }),
    field('Title', 'string', { length: 128 }),
    field('Company', 'string', { length: 255, nillable: false }),
    field('Email', 'email'),
    field('Phone', 'phone'),
    field('Country', 'string', { length: 80 }),
    field('LeadSource', 'picklist', {
      label: 'Lead Source',
      picklistValues: ['Web', 'Webinar', 'Referral', 'Trade Show', 'Cold Call', 'Partner', 'Advertisement', 'Other'],
    }),
    field('Status', 'picklist', { nillable: false, picklistValues: SALESFORCE_LEAD_STATUSES, defaultValue: 'Open - Not Contacted' }),
    field('Industry', 'picklist', {
      picklistValues: ['Technology', 'Finance', 'Healthcare', 'Retail', 'Manufacturing', 'Education', 'Media', 'Other'],
    }),
    field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
    field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8, scale: 0 }),
    field('OwnerId', 'reference', { label: 'Owner ID', nillable: false, referenceTo: ['User'] }),
    field('IsConverted', 'boolean', { label: 'Converted', ...SYSTEM, nillable: false }),
    field('ConvertedDate', 'date', { label: 'Converted Date', ...SYSTEM }),
    field('LastActivityDate', 'date', { label: 'Last Activity', ...SYSTEM }),
    field('Website_Visits__c', 'double', { label: 'Website Visits', precision: 18, scale: 0 }),
    field('Email_Opens__c', 'double', { label: 'Email Opens', precision: 18, scale: 0 }),
  ];
}

export function salesforceCaseFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('CaseNumber', 'string', { label: 'Case Number', length: 30, ...SYSTEM, nillable: false }),
    field('Subject', 'string', { length: 255 }),
    field('Description', 'textarea'),
    field('SuppliedName', 'string', { label: 'Web Name', length: 80 }),
    field('SuppliedEmail', 'email', { label: 'Web Email' }),
    field('Type', 'picklist', {
      label: 'Case Type',
      picklistValues: ['Billing', 'Technical', 'Account', 'Shipping', 'Feature Request', 'Other'],
    }),
    field('Reason', 'picklist', {
      label: 'Case Reason',
      picklistValues: ['Billing Question', 'Performance', 'Login Problem', 'Delivery', 'New Feature', 'Other'],
    }),
    field('Status', 'picklist', {
      nillable: false,
      picklistValues: ['New', 'Working', 'On Hold', 'Escalated', 'Closed'],
      defaultValue: 'New',
    }),
    field('Origin', 'picklist', { label: 'Case Origin', picklistValues: ['Email', 'Web', 'Phone', 'Chat', 'Social'] }),
    field('Priority', 'picklist', { picklistValues: SALESFORCE_CASE_PRIORITIES, defaultValue: 'Medium' }),
    field('IsEscalated', 'boolean', { label: 'Escalated', nillable: false, defaultValue: false }),
    field('IsClosed', 'boolean', { label: 'Closed', ...SYSTEM, nillable: false }),
    field('ClosedDate', 'datetime', { label: 'Closed Date', ...SYSTEM }),
    field('OwnerId', 'reference', { label: 'Owner ID', nillable: false, referenceTo: ['User'] }),
    field('Customer_Tier__c', 'picklist', { label: 'Customer Tier', picklistValues: ['free', 'standard', 'premium', 'enterprise'] }),
    field('Initial_Priority__c', 'picklist', { label: 'Initial Priority', picklistValues: SALESFORCE_CASE_PRIORITIES }),
    field('Hours_To_First_Reply__c', 'double', { label: 'Hours To First Reply', precision: 8, scale: 2 }),
    field('Tags__c', 'string', { label: 'Tags', length: 255 }),
  ];
}

export function salesforceUserFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('Username', 'string', { length: 80, nillable: false }),
    field('Name', 'string', { label: 'Full Name', length: 121, ...SYSTEM }),
    field('Email', 'email', { nillable: false }),
    field('IsActive', 'boolean', { label: 'Active', nillable: false }),
    field('ProfileId', 'reference', { label: 'Profile ID', referenceTo: ['Profile'] }),
  ];
}

export function salesforcePermissionSetFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('Name', 'string', { length: 80, nillable: false }),
    field('Label', 'string', { length: 80, nillable: false }),
    field('IsOwnedByProfile', 'boolean', { label: 'Is Owned By Profile', ...SYSTEM, nillable: false }),
    field('ProfileId', 'reference', { label: 'Profile ID', ...SYSTEM, referenceTo: ['Profile'] }),
  ];
}

export function salesforcePermissionSetAssignmentFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('AssigneeId', 'reference', { label: 'Assignee ID', nillable: false, referenceTo: ['User'] }),
    field('PermissionSetId', 'reference', { label: 'Permission Set ID', nillable: false, referenceTo: ['PermissionSet'] }),
  ];
}

/** https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm */
export function salesforceFieldPermissionsFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('ParentId', 'reference', { label: 'Parent ID', nillable: false, updateable: false, referenceTo: ['PermissionSet'] }),
    field('SobjectType', 'string', { label: 'Sobject Type Name', length: 40, nillable: false, updateable: false }),
    field('Field', 'string', { label: 'Field Name', length: 100, nillable: false, updateable: false }),
    field('PermissionsRead', 'boolean', { label: 'Read Access', nillable: false, defaultValue: false }),
    field('PermissionsEdit', 'boolean', { label: 'Edit Access', nillable: false, defaultValue: false }),
  ];
}

/** Tooling API CustomField, as far as a query needs it. */
export function salesforceCustomFieldFields(): SalesforceFieldDef[] {
  return [
    ...auditFields(),
    field('DeveloperName', 'string', { label: 'Field Name', length: 40, ...SYSTEM }),
    field('TableEnumOrId', 'string', { label: 'Object', length: 40, ...SYSTEM }),
    field('FullName', 'string', { label: 'Full Name', length: 255, ...SYSTEM }),
    field('Description', 'string', { length: 255, ...SYSTEM }),
  ];
}

const SOAP_TYPE: Record<SalesforceFieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

/** One entry of describe's `fields[]`, with `updateable` as the caller's permissions make it. */
export function describeSalesforceField(def: SalesforceFieldDef, updateable: boolean): Record<string, unknown> {
  const numeric = def.type === 'double' || def.type === 'currency' || def.type === 'percent';
  const text = !numeric && def.type !== 'int' && def.type !== 'boolean' && def.type !== 'date' && def.type !== 'datetime';
  return {
    aggregatable: def.type !== 'textarea',
    autoNumber: def.name === 'CaseNumber',
    byteLength: text ? (def.length ?? 0) * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: def.createable && updateable,
    custom: def.custom,
    defaultValue: def.defaultValue ?? null,
    defaultValueFormula: null,
    defaultedOnCreate: def.defaultValue !== undefined || def.type === 'boolean' || !def.createable,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: def.type === 'int' ? (def.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: false,
    extraTypeInfo: null,
    filterable: def.type !== 'textarea',
    filteredLookupInfo: null,
    groupable: !numeric && def.type !== 'textarea',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: def.type === 'id' || def.type === 'email',
    inlineHelpText: null,
    label: def.label,
    length: text ? (def.length ?? 0) : 0,
    mask: null,
    maskType: null,
    name: def.name,
    nameField: def.name === 'Name' || def.name === 'CaseNumber',
    namePointing: false,
    nillable: def.nillable,
    permissionable: def.custom,
    picklistValues: (def.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: def.defaultValue === value,
      label: value,
      validFor: null,
      value,
    })),
    precision: numeric ? (def.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: def.referenceTo ?? [],
    relationshipName: def.type === 'reference' ? def.name.replace(/Id$/, '') : null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: def.restrictedPicklist ?? false,
    scale: numeric ? (def.scale ?? 0) : 0,
    soapType: SOAP_TYPE[def.type],
    sortable: def.type !== 'textarea',
    type: def.type,
    unique: false,
    updateable: def.updateable && updateable,
    writeRequiresMasterRead: false,
  };
}
