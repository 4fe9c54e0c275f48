export * from './create-api-app';
export * from './api.module';
