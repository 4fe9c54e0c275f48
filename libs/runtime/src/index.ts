export * from './logger';
export * from './platform';
export * from './platform.module';
export * from './metrics';
export * from './secret-key';
