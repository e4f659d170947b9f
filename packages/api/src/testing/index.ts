// Test helpers shared by every package's tests (`@ramp/api/testing`); product code never imports them.
export * from './mutate';
export * from './prng';
