import { describe, expect, it } from 'vitest';
import { MediaType, negotiate } from '../../server/media-types.js';

const QUERY_STREAM = [MediaType.DELIMITED, MediaType.JSON, MediaType.KSQL_V1_JSON] as const;

describe('negotiate', () => {
  it.each([
    [undefined, MediaType.DELIMITED],
    ['', MediaType.DELIMITED],
    ['*/*', MediaType.DELIMITED],
    ['application/*', MediaType.DELIMITED],
    ['application/json', MediaType.JSON],
    ['application/vnd.ksql.v1+json', MediaType.KSQL_V1_JSON],
    ['APPLICATION/JSON', MediaType.JSON],
    ['text/html, application/json', MediaType.JSON],
    ['application/json;q=0.2, application/vnd.ksql.v1+json;q=0.8', MediaType.KSQL_V1_JSON],
    ['application/json;q=0, */*;q=0.1', MediaType.DELIMITED],
    ['text/html', undefined],
    ['application/json;q=0', undefined],
  ])('Accept %j -> %s', (accept, expected) => {
    expect(negotiate(accept, QUERY_STREAM)).toBe(expected);
  });
});
