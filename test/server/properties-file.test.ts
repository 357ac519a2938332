import { describe, expect, it } from 'vitest';
import { parseProperties } from '../../server/properties-file.js';

describe('parseProperties', () => {
  it('reads name=value and name: value lines, skipping comments and blank lines', () => {
    expect(
      parseProperties(
        '# the server\n! also a comment\n\nbootstrap.servers = broker:9092\nksql.service.id: sluice_\r\nlisteners=http://0.0.0.0:8088\nflag\n',
      ),
    ).toEqual({
      'bootstrap.servers': 'broker:9092',
      'ksql.service.id': 'sluice_',
      listeners: 'http://0.0.0.0:8088',
      flag: '',
    });
  });
});
