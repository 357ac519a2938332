/**
 * A deterministic Nexmark-shaped data generator: persons, auctions and bids as JSON records,
 * the same bytes for the same seed on every machine, so Sluice, the raw-client references and
 * the Kafka Streams baseline all read identical topics.
 *
 * Shapes follow the Nexmark benchmark (field names in camelCase; Sluice's JSON format matches
 * them to columns ignoring case). Every record is keyed by its id (bids by `auction`, so
 * grouping by auction needs no repartition), the key being an 8-byte big-endian BIGINT: the
 * KAFKA key format's BIGINT and Kafka's LongSerializer alike. Times are epoch milliseconds,
 * in the value (`dateTime`) and as the record timestamp; events are 1 ms apart per kind.
 * Persons and auctions all precede the first bid in event time, so a stream-table join that
 * orders its inputs by timestamp (Kafka Streams does) sees every auction before its bids.
 */
import type { ProducerRecord } from '../engine/log/log.js';

/** The first id of each kind, as in Nexmark (ids never start at 0). */
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
/** Event time of the first bid, 2023-11-14T22:13:20Z; persons and auctions end just before. */
export const BASE_TIME = 1_700_000_000_000;

const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'] as const;
const FIRST_NAMES = [
  'Peter',
  'Paul',
  'Luke',
  'John',
  'Saul',
  'Vicky',
  'Kate',
  'Julie',
  'Sarah',
  'Deiter',
  'Walter',
];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const CITIES = [
  'Phoenix',
  'Los Angeles',
  'San Francisco',
  'Boise',
  'Portland',
  'Bend',
  'Redmond',
  'Seattle',
  'Kent',
];
const STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const CATEGORIES = 10;

/** mulberry32: a small, fast, seedable 32-bit PRNG (quality is ample for test data). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface NexmarkSizes {
  readonly persons: number;
  readonly auctions: number;
  readonly bids: number;
}

export interface NexmarkData {
  readonly persons: ProducerRecord[];
  readonly auctions: ProducerRecord[];
  readonly bids: ProducerRecord[];
}

export function bigintKey(id: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(BigInt(id));
  return key;
}

function record(id: number, value: unknown, timestamp: number): ProducerRecord {
  return { key: bigintKey(id), value: Buffer.from(JSON.stringify(value)), timestamp };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function int(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

/** Nexmark's price: log-uniform between 1.00 and 1,000,000.00, in cents. */
function price(random: () => number): number {
  return Math.round(10 ** (random() * 6) * 100);
}

function padding(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += String.fromCharCode(97 + int(random, 26));
  return s;
}

export function generatePersons(count: number, seed: number): ProducerRecord[] {
  const random = seededRandom(seed ^ 0x5eed_0001);
  const out: ProducerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = FIRST_PERSON_ID + i;
    const dateTime = BASE_TIME - count + i;
    out.push(
      record(
        id,
        {
          id,
          name: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
          emailAddress: `${padding(random, 7)}@${padding(random, 5)}.com`,
          creditCard: `${1000 + int(random, 9000)} ${1000 + int(random, 9000)} ${1000 + int(random, 9000)} ${1000 + int(random, 9000)}`,
          city: pick(random, CITIES),
          state: pick(random, STATES),
          dateTime,
          extra: padding(random, 8 + int(random, 16)),
        },
        dateTime,
      ),
    );
  }
  return out;
}

export function generateAuctions(count: number, persons: number, seed: number): ProducerRecord[] {
  const random = seededRandom(seed ^ 0x5eed_0002);
  const out: ProducerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = FIRST_AUCTION_ID + i;
    const dateTime = BASE_TIME - count + i;
    const initialBid = price(random);
    out.push(
      record(
        id,
        {
          id,
          itemName: padding(random, 12),
          description: padding(random, 24),
          initialBid,
          reserve: initialBid + price(random),
          dateTime,
          expires: dateTime + 10_000 + int(random, 3_600_000),
          seller: FIRST_PERSON_ID + int(random, Math.max(1, persons)),
          category: CATEGORIES + int(random, CATEGORIES),
          extra: padding(random, 8 + int(random, 16)),
        },
        dateTime,
      ),
    );
  }
  return out;
}

/** Bids on `auctions` auctions by `persons` bidders; about 150 bytes of JSON each. */
export function generateBids(
  count: number,
  auctions: number,
  persons: number,
  seed: number,
): ProducerRecord[] {
  const random = seededRandom(seed ^ 0x5eed_0003);
  const out: ProducerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const auction = FIRST_AUCTION_ID + int(random, Math.max(1, auctions));
    const dateTime = BASE_TIME + i;
    out.push(
      record(
        auction,
        {
          auction,
          bidder: FIRST_PERSON_ID + int(random, Math.max(1, persons)),
          price: price(random),
          channel: pick(random, CHANNELS),
          url: `https://www.nexmark.com/${padding(random, 5)}/item.htm?query=${int(random, 1000)}`,
          dateTime,
          extra: padding(random, 8 + int(random, 16)),
        },
        dateTime,
      ),
    );
  }
  return out;
}

/** All three kinds, each from its own stream of the seed (so sizes do not shift each other). */
export function generateNexmark(sizes: NexmarkSizes, seed = 42): NexmarkData {
  return {
    persons: generatePersons(sizes.persons, seed),
    auctions: generateAuctions(sizes.auctions, sizes.persons, seed),
    bids: generateBids(sizes.bids, sizes.auctions, sizes.persons, seed),
  };
}

/** The data-set sizes of a run: quick keeps the whole suite within a few minutes. */
export function nexmarkSizes(quick: boolean): NexmarkSizes {
  return quick
    ? { persons: 10_000, auctions: 10_000, bids: 100_000 }
    : { persons: 100_000, auctions: 100_000, bids: 1_000_000 };
}
