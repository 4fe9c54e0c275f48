export * from './counting-rate-budget';
