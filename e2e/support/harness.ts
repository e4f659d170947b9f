// The e2e harness: starts the real processes (bin/ramp-testkit serve with its workload simulator,
// bin/ramp-controller, bin/ramp-traffic, and Prometheus when a scenario needs it) on free ports,
// drives them with the real kubectl and `kubectl ramp`, and stops them all (process groups, so no
// leftovers), also when a test fails. Every wait has a deadline.
export * from './build';
export * from './commands';
export * from './object-watch';
export * from './objects';
export * from './paths';
export * from './polling';
export * from './processes';
export * from './stack';
export * from './traffic-samples';
