export * from './chunk';
export * from './backoff';
export * from './webhook-signatures';
export * from './retry';
