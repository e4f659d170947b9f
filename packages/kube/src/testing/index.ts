// @ramp/kube/testing: test scaffolding for the tests of @ramp/kube and of the packages above it (a
// request log, object builders). It may use @ramp/testkit; the product code of @ramp/kube never imports
// this entry point.
export * from './objects';
export * from './request-log';
