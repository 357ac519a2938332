import { describe, expect, it } from 'vitest';
import {
  BASE_TIME,
  FIRST_AUCTION_ID,
  FIRST_PERSON_ID,
  generateNexmark,
  seededRandom,
} from '../../bench/nexmark.js';

const sizes = { persons: 50, auctions: 100, bids: 2_000 };
const parse = (b: Buffer | null | undefined) => JSON.parse(b!.toString('utf8')) as Record<string, unknown>;

describe('Nexmark generator', () => {
  it('produces the same bytes for the same seed', () => {
    const a = generateNexmark(sizes, 7);
    const b = generateNexmark(sizes, 7);
    for (const kind of ['persons', 'auctions', 'bids'] as const) {
      expect(a[kind]).toHaveLength(sizes[kind]);
      expect(b[kind].map((r) => r.value!.toString('hex'))).toEqual(
        a[kind].map((r) => r.value!.toString('hex')),
      );
      expect(b[kind].map((r) => r.key!.toString('hex'))).toEqual(a[kind].map((r) => r.key!.toString('hex')));
      expect(b[kind].map((r) => r.timestamp)).toEqual(a[kind].map((r) => r.timestamp));
    }
  });

  it('produces different data for another seed, and one kind does not shift another', () => {
    const a = generateNexmark(sizes, 7);
    const c = generateNexmark(sizes, 8);
    expect(c.bids.map((r) => r.value!.toString())).not.toEqual(a.bids.map((r) => r.value!.toString()));
    const fewerPersons = generateNexmark({ ...sizes, bids: 10 }, 7);
    expect(fewerPersons.persons.map((r) => r.value!.toString())).toEqual(
      a.persons.map((r) => r.value!.toString()),
    );
  });

  it('keys bids by auction as an 8-byte BIGINT and keeps ids in range', () => {
    const { bids, auctions, persons } = generateNexmark(sizes, 1);
    for (const [i, bid] of bids.entries()) {
      const v = parse(bid.value);
      expect(Object.keys(v)).toEqual(['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra']);
      expect(bid.key).toHaveLength(8);
      expect(Number(bid.key!.readBigInt64BE())).toBe(v.auction);
      expect(v.auction).toBeGreaterThanOrEqual(FIRST_AUCTION_ID);
      expect(v.auction).toBeLessThan(FIRST_AUCTION_ID + sizes.auctions);
      expect(v.bidder).toBeGreaterThanOrEqual(FIRST_PERSON_ID);
      expect(v.bidder).toBeLessThan(FIRST_PERSON_ID + sizes.persons);
      expect(Number.isInteger(v.price)).toBe(true);
      expect(v.dateTime).toBe(BASE_TIME + i);
      expect(bid.timestamp).toBe(BASE_TIME + i);
    }
    expect(parse(auctions[3]!.value).id).toBe(FIRST_AUCTION_ID + 3);
    expect(Number(auctions[3]!.key!.readBigInt64BE())).toBe(FIRST_AUCTION_ID + 3);
    expect(parse(persons[5]!.value).id).toBe(FIRST_PERSON_ID + 5);
  });

  it('makes bids of about 150 bytes', () => {
    const { bids } = generateNexmark(sizes, 3);
    const mean = bids.reduce((n, r) => n + r.value!.length, 0) / bids.length;
    expect(mean).toBeGreaterThan(120);
    expect(mean).toBeLessThan(180);
  });

  it('has a PRNG in [0, 1) that depends on its seed only', () => {
    const r1 = seededRandom(99);
    const r2 = seededRandom(99);
    const xs = Array.from({ length: 1_000 }, () => r1());
    expect(Array.from({ length: 1_000 }, () => r2())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
