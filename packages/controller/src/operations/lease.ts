// The coordination.k8s.io/v1 Lease a controller replica holds while it leads: the resource, the
// object's shape, the lease name (Argo's, suffixed with the instance id) and MicroTime formatting.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ResourceType } from '@ramp/kube';

export const LEASES = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
  kind: 'Lease',
} as const satisfies ResourceType;

/** Argo Rollouts' lock name; `--instance-id ID` makes it `argo-rollouts-controller-lock-ID`. */
export const LEASE_NAME = 'argo-rollouts-controller-lock';

export function leaseName(instanceId?: string): string {
  return instanceId ? `${LEASE_NAME}-${instanceId}` : LEASE_NAME;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  spec?: LeaseSpec;
}

/**
 * A metav1.MicroTime as the API server requires it: RFC 3339 in UTC with exactly six fractional
 * digits (`2026-01-01T00:00:00.000000Z`). A seconds-only or milliseconds time is refused by a real
 * API server for acquireTime and renewTime.
 */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A replica's identity in the lease: `hostname_uuid`, as client-go based controllers write it. */
export function defaultIdentity(uuid: string = randomUUID()): string {
  return `${hostname()}_${uuid}`;
}
