export * from './prometheus-server';
export * from './request-metrics-app';
