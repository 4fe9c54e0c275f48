export * from './chunk';
export * from './backoff';
