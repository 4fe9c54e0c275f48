export * from './chunk';
export * from './backoff';
export * from './webhook-signatures';
export * from './retry';
export * from './security/password-hash';
export * from './security/api-key-token';
export * from './security/secret-box';
