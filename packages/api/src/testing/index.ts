// Test helpers shared by every package's tests (`@ramp/api/testing`); product code never imports them.

export { mulberry32 } from '@ramp/testkit';
export * from './compat-corpus';
export * from './compat-corpus-routed';
export * from './mutate';
