import { describe, expect, it } from 'vitest';
import { schemaInfo } from '../../../engine/catalog/schema-info.js';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';

describe('schemaInfo', () => {
  // Shapes as in ksqlDB's CLI golden file ConsoleTest.testPrintSourceDescription.approved.json.
  it('describes primitives with explicit nulls', () => {
    expect(JSON.stringify(schemaInfo(SqlTypes.BOOLEAN))).toBe(
      '{"type":"BOOLEAN","fields":null,"memberSchema":null}',
    );
  });

  it('describes array and map members', () => {
    expect(schemaInfo(arrayType(SqlTypes.STRING))).toEqual({
      type: 'ARRAY',
      fields: null,
      memberSchema: { type: 'STRING', fields: null, memberSchema: null },
    });
    expect(schemaInfo(mapType(SqlTypes.STRING, SqlTypes.BIGINT))).toEqual({
      type: 'MAP',
      fields: null,
      memberSchema: { type: 'BIGINT', fields: null, memberSchema: null },
    });
  });

  it('describes struct fields and decimal parameters', () => {
    expect(JSON.stringify(schemaInfo(struct(['a', SqlTypes.DOUBLE])))).toBe(
      '{"type":"STRUCT","fields":[{"name":"a","schema":{"type":"DOUBLE","fields":null,"memberSchema":null}}],"memberSchema":null}',
    );
    expect(schemaInfo(decimalType(4, 2)).parameters).toEqual({ precision: 4, scale: 2 });
  });
});
