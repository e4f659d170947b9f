export * from './condition';
export * from './engine';
export * from './providers';
