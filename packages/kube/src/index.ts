// @ramp/kube: the Kubernetes client side of Ramp. A REST client over node's http/https (KubeConfig from
// @kubernetes/client-node for contexts, credentials and TLS), typed API errors, informers over an indexed
// object cache, client-side rate limiting, a work queue with one timer for every wake-up, merge-patch
// diffs, and the seams every part takes: an injected clock and a structured log. See README.md.
export { type BackoffPolicy, backoffDelay } from './backoff';
export { type Clock, keepAliveClock, realClock, sleep } from './clock';
export type { HttpRequest, HttpResponse, Query } from './http-transport';
export { dropManagedFields, Informer, type InformerHandlers, type InformerOptions } from './informer';
export {
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isStatus,
  KubeApiError,
  type KubeStatus,
} from './kube-api-error';
export {
  type DeleteOptions,
  KubeClient,
  type KubeClientOptions,
  type KubeList,
  type ListOptions,
  type PatchOptions,
  type PatchType,
  type RequestRecord,
  type WatchEvent,
  type WatchEventType,
  type WatchOptions,
} from './kube-client';
export { kubeTime } from './kube-time';
export { errorFields, type Log, silentLog } from './log';
export { jsonEqual, mergePatchDiff, withoutUndefined } from './merge-patch';
export {
  type CachedObject,
  CONTROLLER_UID_INDEX,
  cacheKey,
  controllerUidIndex,
  type IndexFn,
  ObjectCache,
  objectKey,
} from './object-cache';
export { TokenBucket } from './rate-limiter';
export { apiVersionOf, keyFor, RESOURCES, type ResourceType, resourceName, resourcePath } from './resources';
export { WorkQueue, type WorkQueueObserver, type WorkQueueOptions } from './work-queue';
