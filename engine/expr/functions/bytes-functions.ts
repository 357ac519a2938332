/**
 * ksqlDB's conversions between BYTES, text encodings and numbers (TO_BYTES, FROM_BYTES,
 * INT/BIGINT/DOUBLE_FROM_BYTES, INT_FROM_BOOLEAN), ENCODE between text encodings, and MD5.
 * Encodings are `hex`, `utf8`, `ascii` and `base64`; hex text may be written `0x..` or `X'..'`.
 */
import { createHash } from 'node:crypto';
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';

const CONVERSIONS = 'CONVERSIONS';
const ENCODINGS = 'hex, utf8, ascii and base64';

/** Bytes of hex text; null when it is not hex (an odd digit count only with a 0x prefix). */
function hexToBytes(text: string): Uint8Array | null {
  let digits: string;
  const quoted = /^[xX]'([0-9a-fA-F]*)'$/.exec(text);
  if (quoted !== null) {
    digits = quoted[1] ?? '';
    if (digits.length % 2 !== 0) return null;
  } else if (text.startsWith('0x') || text.startsWith('0X')) {
    digits = text.slice(2);
    if (!/^[0-9a-fA-F]*$/.test(digits)) return null;
    if (digits.length % 2 !== 0) digits = `0${digits}`;
  } else {
    digits = text;
    if (digits.length % 2 !== 0) return null;
  }
  if (!/^[0-9a-fA-F]*$/.test(digits)) return null;
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Java's US_ASCII encoder: anything outside ASCII becomes `?`, one per UTF-16 unit. */
function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 128 ? c : 0x3f;
  }
  return out;
}

/** Java's US_ASCII decoder: bytes past 127 become U+FFFD. */
function asciiText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 128 ? String.fromCharCode(b) : '\ufffd';
  return out;
}

function checkEncoding(encoding: string): string {
  const normalized = encoding.toLowerCase();
  if (!['hex', 'utf8', 'ascii', 'base64'].includes(normalized)) {
    throw new Error(`Unsupported encoding '${encoding}'. Supported encodings are: ${ENCODINGS}`);
  }
  return normalized;
}

export function textToBytes(text: string, encoding: string): Uint8Array | null {
  switch (checkEncoding(encoding)) {
    case 'hex':
      return hexToBytes(text);
    case 'utf8':
      return Uint8Array.from(Buffer.from(text, 'utf8'));
    case 'ascii':
      return asciiBytes(text);
    default:
      return Uint8Array.from(Buffer.from(text, 'base64'));
  }
}

export function bytesToText(bytes: Uint8Array, encoding: string, upperHex = true): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (checkEncoding(encoding)) {
    case 'hex': {
      const hex = buffer.toString('hex');
      return upperHex ? hex.toUpperCase() : hex;
    }
    case 'utf8':
      return buffer.toString('utf8');
    case 'ascii':
      return asciiText(bytes);
    default:
      return buffer.toString('base64');
  }
}

function view(bytes: Uint8Array, size: number): DataView {
  if (bytes.length !== size) {
    throw new Error(`Number of bytes must be equal to ${size}, but found ${bytes.length}`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function littleEndian(order: unknown): boolean {
  const text = String(order).toUpperCase();
  if (text === 'LITTLE_ENDIAN') return true;
  if (text === 'BIG_ENDIAN') return false;
  throw new Error(`byteOrder must be BIG_ENDIAN or LITTLE_ENDIAN, not '${String(order)}'`);
}

function numberFromBytes(
  name: string,
  size: number,
  read: (v: DataView, little: boolean) => number | bigint,
  returns: string,
) {
  return scalar(
    name,
    CONVERSIONS,
    `Reads a ${returns} from ${size} bytes, big-endian unless told otherwise.`,
    [
      sig(
        'BYTES value',
        returns,
        strict(([b]) => read(view(b as Uint8Array, size), false)),
      ),
      sig(
        'BYTES value, STRING byteOrder',
        returns,
        strict(([b, o]) => read(view(b as Uint8Array, size), littleEndian(o))),
      ),
    ],
  );
}

export const bytesFunctions: readonly FunctionDefinition[] = [
  scalar('TO_BYTES', CONVERSIONS, `Text as bytes in an encoding (${ENCODINGS}).`, [
    sig(
      'STRING input, STRING encoding',
      'BYTES',
      strict(([s, e]) => textToBytes(s as string, e as string)),
    ),
  ]),
  scalar('FROM_BYTES', CONVERSIONS, `Bytes as text in an encoding (${ENCODINGS}).`, [
    sig(
      'BYTES bytes, STRING encoding',
      'STRING',
      strict(([b, e]) => bytesToText(b as Uint8Array, e as string)),
    ),
  ]),
  scalar('ENCODE', 'STRING', `Re-encodes text from one encoding to another (${ENCODINGS}).`, [
    sig(
      'STRING input, STRING inputEncoding, STRING outputEncoding',
      'STRING',
      strict(([s, from, to]) => {
        const bytes = textToBytes(s as string, from as string);
        return bytes === null ? null : bytesToText(bytes, to as string, false);
      }),
    ),
  ]),
  numberFromBytes('INT_FROM_BYTES', 4, (v, little) => v.getInt32(0, little), 'INT'),
  numberFromBytes('BIGINT_FROM_BYTES', 8, (v, little) => v.getBigInt64(0, little), 'BIGINT'),
  numberFromBytes('DOUBLE_FROM_BYTES', 8, (v, little) => v.getFloat64(0, little), 'DOUBLE'),
  scalar('INT_FROM_BOOLEAN', CONVERSIONS, 'A BOOLEAN as an INT: 1 for true, 0 for false.', [
    sig(
      'BOOLEAN bool',
      'INT',
      strict(([b]) => (b === true ? 1 : 0)),
    ),
  ]),
  scalar('MD5', 'STRING', 'The MD5 hash of the UTF-8 text, as lower-case hex.', [
    sig(
      'STRING input',
      'STRING',
      strict(([s]) =>
        createHash('md5')
          .update(s as string, 'utf8')
          .digest('hex'),
      ),
    ),
  ]),
];
