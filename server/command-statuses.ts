/**
 * The status of every command this server ran, by ksqlDB command id
 * (`` stream/`ORDERS`/create ``), for GET /status: those the engine applied from its command
 * topic (every server's commands), else the ones this process saw in its /ksql responses.
 */
import type { KsqlEntity } from '../engine/entities.js';

export interface CommandStatus {
  readonly status: string;
  readonly message: string;
  readonly queryId?: string;
}

function isCommandStatus(value: unknown): value is CommandStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'string' && typeof v.message === 'string';
}

export class CommandStatuses {
  private readonly byId = new Map<string, CommandStatus>();

  /** `fromCommandTopic`: the statuses of the commands the engine applied from its command topic, which win. */
  constructor(private readonly fromCommandTopic?: () => ReadonlyMap<string, CommandStatus>) {}

  /** Keeps the status of a `currentStatus` entity; other entities are not commands. */
  record(entity: KsqlEntity): void {
    if (entity['@type'] !== 'currentStatus') return;
    const { commandId, commandStatus } = entity;
    if (typeof commandId === 'string' && isCommandStatus(commandStatus))
      this.byId.set(commandId, commandStatus);
  }

  /** `{commandId: status}`, the body of GET /status. */
  all(): Record<string, string> {
    const statuses: Record<string, string> = {};
    for (const [id, status] of this.byId) statuses[id] = status.status;
    for (const [id, status] of this.fromCommandTopic?.() ?? []) statuses[id] = status.status;
    return statuses;
  }

  /** Type and action are case-insensitive, as in ksqlDB's command ids; the entity is exact. */
  get(type: string, entity: string, action: string): CommandStatus | undefined {
    const id = `${type.toLowerCase()}/${entity}/${action.toLowerCase()}`;
    return this.fromCommandTopic?.().get(id) ?? this.byId.get(id);
  }
}
