/**
 * `commandSequenceNumber` on /ksql and /query: the request runs once this server has applied
 * that command from the command topic (read-your-writes across servers), or fails with
 * ksqlDB's 503 / 50301 when it has not within the configured time.
 */
import { serverMessages } from './messages.js';
import { RestError } from './rest-errors.js';
import type { ServerContext } from './server-context.js';

export async function awaitCommandSequence(
  context: ServerContext,
  sequence: number | undefined,
): Promise<void> {
  if (sequence === undefined || sequence < 0 || context.engine.waitForCommand === undefined) return;
  if (!(await context.engine.waitForCommand(sequence, context.commandWaitTimeoutMs)))
    throw RestError.commandTimeout(serverMessages.commandSequenceTimeout(sequence));
}
