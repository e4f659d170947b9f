// Test scaffolding of @ramp/analysis, for other packages' tests (`@ramp/analysis/testing`).
export { FakeClock } from './fake-clock';
