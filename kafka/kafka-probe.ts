import { Socket } from 'node:net';

/**
 * Asks a Kafka broker whether it serves requests, speaking just enough of the wire protocol
 * (a Metadata v1 request) to learn that the broker has registered itself with the cluster.
 * A plain TCP connect is not enough: the KRaft broker opens its listener before it has caught
 * up with the metadata log, and clients connecting in that gap see errors.
 *
 * Kept free of kafkajs on purpose: engine/log/kafka-log.ts is the one file that imports it.
 */
export async function probeKafka(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, host, () => socket.write(metadataRequest()));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      finish(brokerCount(received.subarray(4, 4 + size)) > 0);
    });
  });
}

const METADATA_API_KEY = 3;
const METADATA_VERSION = 1;
const CORRELATION_ID = 0x51c3;

function metadataRequest(): Buffer {
  const clientId = Buffer.from('sluice-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let at = 0;
  at = body.writeInt16BE(METADATA_API_KEY, at);
  at = body.writeInt16BE(METADATA_VERSION, at);
  at = body.writeInt32BE(CORRELATION_ID, at);
  at = body.writeInt16BE(clientId.length, at);
  at += clientId.copy(body, at);
  body.writeInt32BE(-1, at); // null topic array: no topics asked for, only the brokers
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Response v1: correlation id, then the broker array, whose length is all we need. */
function brokerCount(response: Buffer): number {
  if (response.length < 8 || response.readInt32BE(0) !== CORRELATION_ID) return 0;
  return response.readInt32BE(4);
}
