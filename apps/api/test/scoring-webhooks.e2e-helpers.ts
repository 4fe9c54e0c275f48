// The e2e tests and the benches share one set-up (bench/ is compiled, test folders are not).
export * from '../../../bench/api-bench.bed';
