import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/http-load.js';
import { registeredUnavailable, registeredWorkloads, selectWorkloads } from '../../bench/registry.js';
import {
  type BenchReport,
  formatNumber,
  ratioOf,
  renderMarkdown,
  renderSvg,
  timestampName,
  writeReport,
} from '../../bench/report.js';

const report: BenchReport = {
  startedAt: '2026-11-27T03:15:00.123Z',
  finishedAt: '2026-11-27T03:20:00.456Z',
  quick: true,
  machine: { cpus: 2, node: '20.19.0', platform: 'linux-x64' },
  figures: [
    {
      workload: 'W1',
      name: 'q1 projection (events/CPU-s)',
      size: 50_000,
      value: 60_000,
      unit: 'events/CPU-s',
      reference: 'raw pipe (P3)',
      referenceValue: 80_000,
    },
    { workload: 'P1', name: 'raw consume', size: 50_000, value: 123_456.7, unit: 'events/CPU-s' },
    {
      workload: 'W9',
      name: 'a | b <c> & "d"',
      size: 1,
      value: 3,
      unit: 'x',
      reference: 'r',
      referenceValue: 2,
    },
  ],
  unavailable: [{ id: 'W6', title: 'state restore', reason: 'no changelog yet' }],
  failed: [{ id: 'W5', title: 'push fan-out', error: 'broker went away' }],
};

describe('benchmark report', () => {
  it('computes ratios only against a positive reference', () => {
    expect(ratioOf(report.figures[0]!)).toBeCloseTo(0.75);
    expect(ratioOf(report.figures[1]!)).toBeUndefined();
    expect(ratioOf({ ...report.figures[0]!, referenceValue: 0 })).toBeUndefined();
  });

  it('formats numbers with separators and small values with decimals', () => {
    expect(formatNumber(123_456.7)).toBe('123,457');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.456)).toBe('0.46');
  });

  it('renders a Markdown table with every figure, the ratio, and what is not available or failed', () => {
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).toBe('| id | figure | size | Sluice | unit | reference | reference value | ratio |');
    expect(rows).toContain(
      '| W1 | q1 projection (events/CPU-s) | 50,000 | 60,000 | events/CPU-s | raw pipe (P3) | 80,000 | 0.75 |',
    );
    expect(rows).toContain('| P1 | raw consume | 50,000 | 123,457 | events/CPU-s |  |  |  |');
    expect(rows).toContain('| W9 | a \\| b <c> & "d" | 1.00 | 3.00 | x | r | 2.00 | 1.50 |');
    expect(rows).toContain('| W6 | state restore | | | | not available: no changelog yet | | |');
    expect(rows).toContain('| W5 | push fan-out | | | | FAILED: broker went away | | |');
  });

  it('draws one escaped bar per figure with a reference, and the parity line', () => {
    const svg = renderSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('a | b &lt;c&gt; &amp; &quot;d&quot;');
    expect(svg).toContain('>0.75<');
    expect(svg).toContain('>1.50<');
    expect(svg).toContain('>1.0</text>');
    expect(svg).not.toContain('raw consume');
  });

  it('writes timestamped and latest JSON, Markdown and SVG files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-report-'));
    try {
      await writeReport(dir, report);
      expect((await readdir(dir)).sort()).toEqual([
        '20261127T031500Z.json',
        '20261127T031500Z.md',
        '20261127T031500Z.svg',
        'latest.json',
        'latest.md',
        'latest.svg',
      ]);
      expect(JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8'))).toEqual(report);
      expect(await readFile(join(dir, 'latest.md'), 'utf8')).toBe(renderMarkdown(report));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names files by a sortable timestamp', () => {
    expect(timestampName('2026-11-27T03:15:00.123Z')).toBe('20261127T031500Z');
  });
});

describe('benchmark registry', () => {
  it('has unique ids across available and unavailable workloads', () => {
    const ids = [...registeredWorkloads, ...registeredUnavailable].map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('selects by id, case-insensitively, or everything', () => {
    const all = [{ id: 'W1' }, { id: 'W2' }, { id: 'M1' }];
    expect(selectWorkloads(all, undefined)).toEqual(all);
    expect(selectWorkloads(all, ['w2', ' M1'])).toEqual([{ id: 'W2' }, { id: 'M1' }]);
  });
});

describe('http-load latency summary', () => {
  it('gives nearest-rank percentiles, max and mean', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    const s = summarize(values);
    expect(s).toEqual({ p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(Number.isNaN(summarize([]).p99)).toBe(true);
  });
});
