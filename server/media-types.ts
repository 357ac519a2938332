/**
 * The media types of ksqlDB's REST API and the choice among them from an `Accept` header.
 */
export const MediaType = {
  JSON: 'application/json',
  KSQL_V1_JSON: 'application/vnd.ksql.v1+json',
  DELIMITED: 'application/vnd.ksqlapi.delimited.v1',
} as const;

export type MediaTypeName = (typeof MediaType)[keyof typeof MediaType];

interface AcceptRange {
  readonly type: string;
  readonly q: number;
  readonly order: number;
}

function parseAccept(header: string): AcceptRange[] {
  const ranges: AcceptRange[] = [];
  header.split(',').forEach((part, order) => {
    const [type, ...params] = part.split(';').map((p) => p.trim());
    if (type === undefined || type === '') return;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((p) => p.trim());
      if (name?.toLowerCase() === 'q' && value !== undefined) {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (q > 0) ranges.push({ type: type.toLowerCase(), q, order });
  });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order);
}

function matches(range: string, type: string): boolean {
  if (range === '*/*' || range === type) return true;
  return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
}

/**
 * The type to answer with: the most preferred of `produces` that the Accept header allows
 * (a wildcard range picks the first of `produces`, the endpoint's default); `undefined` when
 * the header rules out every one of them.
 */
export function negotiate(
  accept: string | undefined,
  produces: readonly MediaTypeName[],
): MediaTypeName | undefined {
  if (accept === undefined || accept.trim() === '') return produces[0];
  for (const range of parseAccept(accept)) {
    const found = produces.find((type) => matches(range.type, type));
    if (found !== undefined) return found;
  }
  return undefined;
}
