export * from './sandbox-http';
export * from './sandbox-faults';
export * from './sandbox-stats';
export * from './sandbox-write-log';
