/**
 * The binary encoding of state rows: a type tag per value, varint lengths, exact for every
 * runtime value (int64 bigints, Decimal digits, bytes, nested arrays, maps and structs).
 *
 * Why not JSON: it loses bigint, Decimal, bytes and map keys unless every value carries a
 * type wrapper, which makes it larger and slower than tags. Why not v8.serialize: it loses
 * Decimal's class and null-prototype structs, and is larger.
 *
 * Keys use the canonical form: -0 is 0, every NaN has one bit pattern and map entries are
 * sorted, so two keys encode to the same bytes exactly when `rowKey` is equal. DuckDB and the
 * changelog compare keys by these bytes.
 */
import { Decimal, isDecimal, type SqlStruct, type SqlValue } from '../catalog/values.js';
import type { StateRow } from './state-store.js';

enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int32 = 3,
  Double = 4,
  Int64 = 5,
  BigIntText = 6,
  Decimal = 7,
  String = 8,
  Bytes = 9,
  Array = 10,
  Map = 11,
  Struct = 12,
  NaN = 13,
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SLAB_BYTES = 64 * 1024;

/**
 * Writes values into a slab shared by many encodings, so encoding a commit's rows allocates
 * one buffer per slab rather than one per row. `take` hands out a view of the slab; `copy`
 * an exact-size buffer, for bytes kept long (a slab lives as long as any view of it).
 */
class ByteWriter {
  buf: Buffer;
  start = 0;
  pos = 0;

  constructor(private readonly slabBytes = SLAB_BYTES) {
    this.buf = Buffer.allocUnsafe(slabBytes);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.slabBytes, 2 * (used + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.reserve(5);
    let v = n >>> 0;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  string(s: string): void {
    const length = Buffer.byteLength(s);
    this.varint(length);
    this.reserve(length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  copy(): Buffer {
    const out = Buffer.from(this.buf.subarray(this.start, this.pos));
    this.start = this.pos;
    return out;
  }
}

const writer = new ByteWriter();

function writeValue(w: ByteWriter, value: SqlValue, canonical: boolean): void {
  if (value === null) {
    w.byte(Tag.Null);
    return;
  }
  switch (typeof value) {
    case 'boolean':
      w.byte(value ? Tag.True : Tag.False);
      return;
    case 'number':
      if ((value | 0) === value && !Object.is(value, -0)) {
        w.byte(Tag.Int32);
        w.varint((value << 1) ^ (value >> 31));
        return;
      }
      if (canonical && value === 0) {
        w.byte(Tag.Int32);
        w.varint(0);
        return;
      }
      if (Number.isNaN(value)) {
        w.byte(Tag.NaN);
        return;
      }
      w.byte(Tag.Double);
      w.reserve(8);
      w.pos = w.buf.writeDoubleLE(value, w.pos);
      return;
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) {
        w.byte(Tag.Int64);
        w.reserve(8);
        w.pos = w.buf.writeBigInt64LE(value, w.pos);
        return;
      }
      w.byte(Tag.BigIntText);
      w.string(value.toString());
      return;
    case 'string':
      w.byte(Tag.String);
      w.string(value);
      return;
  }
  if (isDecimal(value)) {
    w.byte(Tag.Decimal);
    w.string(canonical && value.isZero() ? '0' : value.toString());
    return;
  }
  if (value instanceof Uint8Array) {
    w.byte(Tag.Bytes);
    w.bytes(value);
    return;
  }
  if (Array.isArray(value)) {
    const items = value as readonly SqlValue[];
    w.byte(Tag.Array);
    w.varint(items.length);
    for (const item of items) writeValue(w, item, canonical);
    return;
  }
  if (value instanceof Map) {
    w.byte(Tag.Map);
    w.varint(value.size);
    if (!canonical) {
      for (const [k, v] of value) {
        writeValue(w, k, false);
        writeValue(w, v, false);
      }
      return;
    }
    const entries: Buffer[][] = [];
    const inner = new ByteWriter(256);
    for (const [k, v] of value) {
      writeValue(inner, k, true);
      const keyBytes = inner.take();
      writeValue(inner, v, true);
      entries.push([keyBytes, inner.take()]);
    }
    entries.sort((a, b) => Buffer.compare(a[0]!, b[0]!));
    for (const [k, v] of entries) {
      w.raw(k!);
      w.raw(v!);
    }
    return;
  }
  const struct = value as SqlStruct;
  const names = Object.keys(struct);
  w.byte(Tag.Struct);
  w.varint(names.length);
  for (const name of names) {
    w.string(name);
    writeValue(w, struct[name] ?? null, canonical);
  }
}

/**
 * The exact encoding of a value row, keeping map entry order. The result is a view of a
 * shared slab: meant for bytes that are written out and dropped (DuckDB, the changelog).
 */
export function encodeRow(row: StateRow): Buffer {
  writer.varint(row.length);
  for (const value of row) writeValue(writer, value, false);
  return writer.take();
}

/** The canonical encoding of a key row: equal bytes exactly when `rowKey` is equal. */
export function encodeKey(row: StateRow): Buffer {
  writer.varint(row.length);
  for (const value of row) writeValue(writer, value, true);
  return writer.copy();
}

/** Reads rows written by `encodeRow`/`encodeKey`, one after another, from `buf`. */
export class RowReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  private get view(): Buffer {
    const b = this.buf;
    return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }

  private byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new RangeError('state row: truncated encoding');
    return b;
  }

  private varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  }

  private string(): string {
    const length = this.varint();
    const s = this.view.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }

  private rawBytes(): Uint8Array {
    const length = this.varint();
    const out = this.buf.slice(this.pos, this.pos + length);
    this.pos += length;
    return new Uint8Array(out);
  }

  private value(): SqlValue {
    const tag = this.byte();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int32: {
        const z = this.varint();
        return (z >>> 1) ^ -(z & 1);
      }
      case Tag.Double: {
        const d = this.view.readDoubleLE(this.pos);
        this.pos += 8;
        return d;
      }
      case Tag.NaN:
        return Number.NaN;
      case Tag.Int64: {
        const n = this.view.readBigInt64LE(this.pos);
        this.pos += 8;
        return n;
      }
      case Tag.BigIntText:
        return BigInt(this.string());
      case Tag.Decimal:
        return new Decimal(this.string());
      case Tag.String:
        return this.string();
      case Tag.Bytes:
        return this.rawBytes();
      case Tag.Array: {
        const n = this.varint();
        const items: SqlValue[] = new Array(n);
        for (let i = 0; i < n; i++) items[i] = this.value();
        return items;
      }
      case Tag.Map:
        return this.map();
      case Tag.Struct: {
        const n = this.varint();
        const struct: Record<string, SqlValue> = Object.create(null);
        for (let i = 0; i < n; i++) {
          const name = this.string();
          struct[name] = this.value();
        }
        return struct;
      }
      default:
        throw new RangeError(`state row: unknown value tag ${tag}`);
    }
  }

  private map(): Map<SqlValue, SqlValue> {
    const n = this.varint();
    const map = new Map<SqlValue, SqlValue>();
    for (let i = 0; i < n; i++) {
      const k = this.value();
      map.set(k, this.value());
    }
    return map;
  }

  row(): SqlValue[] {
    const n = this.varint();
    const row: SqlValue[] = new Array(n);
    for (let i = 0; i < n; i++) row[i] = this.value();
    return row;
  }

  int64(): bigint {
    const n = this.view.readBigInt64BE(this.pos);
    this.pos += 8;
    return n;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }
}

export function decodeRow(buf: Uint8Array): SqlValue[] {
  return new RowReader(buf).row();
}
