export * from './providers/provider';
