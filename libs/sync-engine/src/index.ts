export * from './queue/job-queue';
