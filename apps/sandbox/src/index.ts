/** Public API of the vendor sandboxes (`@fieldcast/sandbox`): what tests, benchmarks and the demo mode import. */
export { createSalesforceSandbox } from './salesforce/salesforce.sandbox';
export { createHubSpotSandbox } from './hubspot/hubspot.sandbox';
export { createZendeskSandbox } from './zendesk/zendesk.sandbox';
export * from './sandbox-cluster';
export type { VendorSandbox, VendorSandboxOptions } from './common/vendor-sandbox.types';
export type { RecordViewerObject, RecordViewerSource } from './common/record-viewer';
export type { FaultSettings } from './common/sandbox-faults';
export type { SandboxWrite } from './common/sandbox-write-log';
export type { DemoDataOptions, DemoDataSet, DemoLead, DemoTicket } from './data/demo-data.types';
export { DEFAULT_DEMO_DATA_OPTIONS, DEMO_REFERENCE_TIME, MAX_DEMO_RECORDS, generateDemoData } from './data/demo-data.generator';
export {
  CsvImportError,
  importDemoLeadsCsv,
  importDemoLeadsCsvFile,
  importDemoTicketsCsv,
  importDemoTicketsCsvFile,
  type CsvImportOptions,
} from './data/csv-import';
export { DATA_PRESETS, findDataDir, loadDataPreset, type DataPresetName } from './data/csv-import.presets';
export { DemoDataSnapshotError, loadDemoDataSnapshot, saveDemoDataSnapshot } from './data/demo-data.snapshot';
