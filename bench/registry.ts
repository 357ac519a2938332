/**
 * Every benchmark workload, in the order they run. A workload whose module does not exist yet
 * is listed in `unavailable` with the reason, never faked; it moves to `workloads` when it does.
 */
import { parser, statelessPipeline, stateStore } from './micro.js';
import { p6 } from './p6-http.js';
import { p7, p7w2, p7w3 } from './p7-kstreams.js';
import { shared } from './shared-run.js';
import { w1 } from './w1-kafka.js';
import { w2 } from './w2-window.js';
import { w3 } from './w3-join.js';
import { w4 } from './w4-pull.js';
import { w5 } from './w5-push.js';
import { w6 } from './w6-restore.js';
import type { UnavailableWorkload, Workload } from './workload.js';

export const registeredWorkloads: readonly Workload[] = [
  statelessPipeline,
  parser,
  stateStore,
  p6,
  w1,
  w2,
  shared(w3),
  w4,
  p7,
  p7w2,
  p7w3,
  w5,
  w6,
];

export const registeredUnavailable: readonly UnavailableWorkload[] = [];

/** `--only W1,M2`: ids are matched case-insensitively; undefined selects everything. */
export function selectWorkloads<T extends { readonly id: string }>(
  all: readonly T[],
  only: readonly string[] | undefined,
): T[] {
  if (only === undefined) return [...all];
  const wanted = new Set(only.map((id) => id.trim().toUpperCase()));
  return all.filter((w) => wanted.has(w.id.toUpperCase()));
}
