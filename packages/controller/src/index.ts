export { AnalysisRunController } from './analysisrun/analysisrun-controller';
export { jobProvider } from './analysisrun/job-provider';
export * from './canary';
export { loadKubeConfig, main } from './main';
export * from './model/kube-objects';
export * from './model/names';
export * from './model/plan';
export * from './model/snapshot';
export { decideRollout } from './rollout/decide';
export { rolloutPhase } from './rollout/phase';
export { describeStep, setWeightAt, stepsOf } from './rollout/steps';
export { GATEWAY_ROUTE_KINDS } from './routing/gateway-api-router';
export { canaryIngressName } from './routing/nginx-router';
export { ROUTE_KINDS, routeResourceVersions } from './routing/route-resources';
export type { RouteResourceName } from './routing/router';
export { maxWeightOf, routersFor } from './routing/routers';
export {
  type ControllerOptions,
  createController,
  type RunningController,
  startController,
} from './runtime/start-controller';
