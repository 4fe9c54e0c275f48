export * from './connector-exception';
export * from './connector.types';
export * from './rate-budget.types';
export * from './webhook.types';
export * from './compound-cursor';
export * from './cursor-id-order';
export * from './vendor-call';
export * from './oauth-token-keeper';
