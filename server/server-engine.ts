import type { Engine } from '../engine/engine.js';

/** What the REST server uses of the Engine (a narrower type lets tests observe it). */
export type ServerEngine = Pick<Engine, 'execute' | 'query' | 'log'> &
  Partial<Pick<Engine, 'waitForCommand' | 'commandStatuses' | 'print' | 'rowWriter'>>;
