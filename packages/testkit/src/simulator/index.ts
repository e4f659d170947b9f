/** The workload simulator: ReplicaSet and Job controllers and a kubelet for testkit (see docs/testkit.md). */
export { FakeClock, realClock, type SimulatorClock } from './clock';
export type { SimulatorOptions } from './context';
export { type BadImageRule, badImagePredicate, imageTag, JOB_RESULT_ANNOTATION } from './rules';
export { Simulator, startSimulator } from './simulator';
