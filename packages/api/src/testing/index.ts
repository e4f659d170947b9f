// Test helpers shared by every package's tests (`@ramp/api/testing`); product code never imports them.

export { mulberry32 } from '@ramp/testkit';
export * from './mutate';
