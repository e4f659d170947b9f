// The Rollout kind: spec (canary and blue-green strategies, steps, traffic routing) and status.
import { AnalysisPhase, AnalysisTemplateRef, DryRun, MeasurementRetention } from './analysis';
import { FieldRef, LabelSelector, ObjectMeta, PodTemplate, PodTemplateMetadata } from './common';
import {
  bool,
  embedded,
  int32,
  int64,
  intOrString,
  list,
  obj,
  opt,
  type Static,
  str,
  stringMap,
  Type,
  time,
} from './dsl';

export const AnalysisRunArgument = obj({
  name: str(),
  value: opt(str()),
  valueFrom: opt(
    obj({
      podTemplateHashValue: opt(Type.Union([Type.Literal('Stable'), Type.Literal('Latest')])),
      fieldRef: opt(FieldRef),
    }),
  ),
});
export type AnalysisRunArgument = Static<typeof AnalysisRunArgument>;

const rolloutAnalysisFields = {
  templates: opt(list(AnalysisTemplateRef, 'The AnalysisTemplates whose metrics make up the run.')),
  args: opt(list(AnalysisRunArgument, "Values for the templates' args.")),
  dryRun: opt(list(DryRun)),
  measurementRetention: opt(list(MeasurementRetention)),
  analysisRunMetadata: opt(PodTemplateMetadata),
};
export const RolloutAnalysis = obj(rolloutAnalysisFields);
export type RolloutAnalysis = Static<typeof RolloutAnalysis>;

export const RolloutAnalysisBackground = obj({
  ...rolloutAnalysisFields,
  startingStep: opt(int32('The step index at which the background analysis starts (default 0).')),
});
export type RolloutAnalysisBackground = Static<typeof RolloutAnalysisBackground>;

const StringMatch = obj({ exact: opt(str()), prefix: opt(str()), regex: opt(str()) });

export const CanaryStep = obj({
  setWeight: opt(int32('Percent of traffic (or of replicas, without a traffic router) for the canary.')),
  pause: opt(
    obj({
      duration: opt(intOrString('e.g. 30s, 5m, 1h; a number means seconds; omit to wait for promote.')),
    }),
  ),
  analysis: opt(RolloutAnalysis),
  setCanaryScale: opt(obj({ weight: opt(int32()), replicas: opt(int32()), matchTrafficWeight: opt(bool()) })),
  experiment: opt(embedded('An Experiment step (not supported by Ramp yet).')),
  setHeaderRoute: opt(
    obj({
      name: opt(str()),
      match: opt(list(obj({ headerName: str(), headerValue: StringMatch }))),
    }),
  ),
  setMirrorRoute: opt(
    obj({
      name: str(),
      match: opt(
        list(
          obj({
            method: opt(StringMatch),
            path: opt(StringMatch),
            headers: opt(Type.Record(Type.String(), StringMatch)),
          }),
        ),
      ),
      percentage: opt(int32()),
    }),
  ),
  plugin: opt(obj({ name: str(), config: opt(embedded('Plugin configuration.')) })),
});
export type CanaryStep = Static<typeof CanaryStep>;

const IstioVirtualService = obj({
  name: str(),
  routes: opt(list(Type.String())),
  tlsRoutes: opt(list(obj({ port: opt(int64()), sniHosts: opt(list(Type.String())) }))),
  tcpRoutes: opt(list(obj({ port: opt(int64()) }))),
});

export const TrafficRouting = obj({
  istio: opt(
    obj({
      virtualService: opt(IstioVirtualService),
      virtualServices: opt(list(IstioVirtualService)),
      destinationRule: opt(
        obj({
          name: str(),
          canarySubsetName: str(),
          stableSubsetName: str(),
          additionalSubsetNames: opt(list(Type.String())),
        }),
      ),
    }),
  ),
  nginx: opt(
    obj({
      annotationPrefix: opt(str()),
      stableIngress: opt(str()),
      stableIngresses: opt(list(Type.String())),
      additionalIngressAnnotations: opt(stringMap()),
      canaryIngressAnnotations: opt(stringMap()),
    }),
  ),
  alb: opt(
    obj({
      ingress: opt(str()),
      ingresses: opt(list(Type.String())),
      servicePort: int32(),
      rootService: opt(str()),
      annotationPrefix: opt(str()),
      stickinessConfig: opt(obj({ enabled: bool(), durationSeconds: int64() })),
    }),
  ),
  smi: opt(obj({ rootService: opt(str()), trafficSplitName: opt(str()) })),
  ambassador: opt(obj({ mappings: list(Type.String()) })),
  appMesh: opt(
    obj({
      virtualService: opt(obj({ name: str(), routes: opt(list(Type.String())) })),
      virtualNodeGroup: opt(
        obj({ canaryVirtualNodeRef: obj({ name: str() }), stableVirtualNodeRef: obj({ name: str() }) }),
      ),
    }),
  ),
  traefik: opt(obj({ weightedTraefikServiceName: str() })),
  apisix: opt(obj({ route: opt(obj({ name: str(), rules: opt(list(Type.String())) })) })),
  managedRoutes: opt(list(obj({ name: str() }))),
  maxTrafficWeight: opt(int32()),
  plugins: opt(embedded('Traffic router plugin configuration.')),
});
export type TrafficRouting = Static<typeof TrafficRouting>;

const AntiAffinity = obj({
  preferredDuringSchedulingIgnoredDuringExecution: opt(obj({ weight: int32() })),
  requiredDuringSchedulingIgnoredDuringExecution: opt(obj({})),
});

export const CanaryStrategy = obj({
  canaryService: opt(str('A Service whose selector the controller points at the canary pods.')),
  stableService: opt(str('A Service whose selector the controller points at the stable pods.')),
  steps: opt(list(CanaryStep)),
  trafficRouting: opt(TrafficRouting),
  maxUnavailable: opt(intOrString('Pods that may be unavailable during the update (default 25%).')),
  maxSurge: opt(intOrString('Pods that may run above the desired count (default 25%).')),
  analysis: opt(RolloutAnalysisBackground),
  antiAffinity: opt(AntiAffinity),
  canaryMetadata: opt(PodTemplateMetadata),
  stableMetadata: opt(PodTemplateMetadata),
  scaleDownDelaySeconds: opt(int32()),
  scaleDownDelayRevisionLimit: opt(int32()),
  abortScaleDownDelaySeconds: opt(int32()),
  dynamicStableScale: opt(bool()),
  pingPong: opt(obj({ pingService: str(), pongService: str() })),
  minPodsPerReplicaSet: opt(int32()),
});
export type CanaryStrategy = Static<typeof CanaryStrategy>;

export const BlueGreenStrategy = obj({
  activeService: str('The Service that serves production traffic.'),
  previewService: opt(str('A Service that points at the new version before promotion.')),
  previewReplicaCount: opt(int32()),
  autoPromotionEnabled: opt(bool('Promote without a person once the new version is ready (default true).')),
  autoPromotionSeconds: opt(int32()),
  maxUnavailable: opt(intOrString()),
  scaleDownDelaySeconds: opt(int32()),
  scaleDownDelayRevisionLimit: opt(int32()),
  prePromotionAnalysis: opt(RolloutAnalysis),
  postPromotionAnalysis: opt(RolloutAnalysis),
  antiAffinity: opt(AntiAffinity),
  previewMetadata: opt(PodTemplateMetadata),
  activeMetadata: opt(PodTemplateMetadata),
  abortScaleDownDelaySeconds: opt(int32()),
});
export type BlueGreenStrategy = Static<typeof BlueGreenStrategy>;

export const RolloutSpec = obj({
  replicas: opt(int32('Desired pods (default 1).')),
  selector: opt(LabelSelector),
  template: opt(PodTemplate),
  workloadRef: opt(
    obj({
      apiVersion: opt(str()),
      kind: opt(str()),
      name: opt(str()),
      scaleDown: opt(
        Type.Union([Type.Literal('never'), Type.Literal('onsuccess'), Type.Literal('progressively')]),
      ),
    }),
  ),
  minReadySeconds: opt(int32()),
  rollbackWindow: opt(obj({ revisions: opt(int32()) })),
  strategy: opt(obj({ blueGreen: opt(BlueGreenStrategy), canary: opt(CanaryStrategy) })),
  revisionHistoryLimit: opt(int32('Old ReplicaSets kept (default 10).')),
  paused: opt(bool()),
  progressDeadlineSeconds: opt(
    int32('Seconds without progress before the rollout is Degraded (default 600).'),
  ),
  progressDeadlineAbort: opt(bool()),
  restartAt: opt(time()),
  analysis: opt(obj({ successfulRunHistoryLimit: opt(int32()), unsuccessfulRunHistoryLimit: opt(int32()) })),
});
export type RolloutSpec = Static<typeof RolloutSpec>;

const RolloutAnalysisRunStatus = obj({ name: str(), status: AnalysisPhase, message: opt(str()) });
export type RolloutAnalysisRunStatus = Static<typeof RolloutAnalysisRunStatus>;

const WeightDestination = obj({ weight: int32(), serviceName: opt(str()), podTemplateHash: opt(str()) });

export const RolloutCondition = obj({
  type: str(),
  status: str(),
  lastUpdateTime: time(),
  lastTransitionTime: time(),
  reason: str(),
  message: str(),
});
export type RolloutCondition = Static<typeof RolloutCondition>;

export const PauseCondition = obj({ reason: str(), startTime: time() });
export type PauseCondition = Static<typeof PauseCondition>;

export const RolloutStatus = obj({
  abort: opt(bool()),
  pauseConditions: opt(list(PauseCondition)),
  controllerPause: opt(bool()),
  abortedAt: opt(time()),
  currentPodHash: opt(str()),
  currentStepHash: opt(str()),
  replicas: opt(int32()),
  updatedReplicas: opt(int32()),
  readyReplicas: opt(int32()),
  availableReplicas: opt(int32()),
  currentStepIndex: opt(int32()),
  collisionCount: opt(int32()),
  observedGeneration: opt(str()),
  conditions: opt(list(RolloutCondition)),
  canary: opt(
    obj({
      currentStepAnalysisRunStatus: opt(RolloutAnalysisRunStatus),
      currentBackgroundAnalysisRunStatus: opt(RolloutAnalysisRunStatus),
      currentExperiment: opt(str()),
      weights: opt(
        obj({
          canary: WeightDestination,
          stable: WeightDestination,
          additional: opt(list(WeightDestination)),
          verified: opt(bool()),
        }),
      ),
      stablePingPong: opt(str()),
    }),
  ),
  blueGreen: opt(
    obj({
      previewSelector: opt(str()),
      activeSelector: opt(str()),
      scaleUpPreviewCheckPoint: opt(bool()),
      prePromotionAnalysisRunStatus: opt(RolloutAnalysisRunStatus),
      postPromotionAnalysisRunStatus: opt(RolloutAnalysisRunStatus),
    }),
  ),
  HPAReplicas: opt(int32()),
  selector: opt(str()),
  stableRS: opt(str()),
  restartedAt: opt(time()),
  promoteFull: opt(bool()),
  phase: opt(
    Type.Union([
      Type.Literal('Healthy'),
      Type.Literal('Progressing'),
      Type.Literal('Paused'),
      Type.Literal('Degraded'),
    ]),
  ),
  message: opt(str()),
  workloadObservedGeneration: opt(str()),
});
export type RolloutStatus = Static<typeof RolloutStatus>;

export const Rollout = obj({
  apiVersion: Type.Literal('argoproj.io/v1alpha1'),
  kind: Type.Literal('Rollout'),
  metadata: ObjectMeta,
  spec: RolloutSpec,
  status: opt(RolloutStatus),
});
export type Rollout = Static<typeof Rollout>;
