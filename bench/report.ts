/**
 * The results of one benchmark run: kept as JSON, rendered as a Markdown table and as an SVG bar
 * chart of the ratios (hand-written SVG: no charting dependency for a dozen bars).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchFigure, UnavailableWorkload } from './workload.js';

/** A workload that was asked for and failed: reported, never dropped. */
export interface FailedWorkload {
  readonly id: string;
  readonly title: string;
  readonly error: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly bootstrapServers?: string;
  readonly figures: readonly BenchFigure[];
  readonly unavailable: readonly UnavailableWorkload[];
  readonly failed: readonly FailedWorkload[];
}

/** The figure's value divided by its same-run reference, or undefined when it has none. */
export function ratioOf(figure: BenchFigure): number | undefined {
  if (figure.referenceValue === undefined || !(figure.referenceValue > 0)) return undefined;
  if (!Number.isFinite(figure.value)) return undefined;
  return figure.value / figure.referenceValue;
}

/** Integers with thousands separators; small values keep two significant decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `Sluice benchmarks, ${report.quick ? 'quick' : 'full'} run, ${report.startedAt} → ${report.finishedAt}` +
      ` (${report.machine.cpus} CPUs, Node ${report.machine.node}, ${report.machine.platform})`,
  );
  lines.push('');
  lines.push('| id | figure | size | Sluice | unit | reference | reference value | ratio |');
  lines.push('|---|---|---:|---:|---|---|---:|---:|');
  for (const f of report.figures) {
    const ratio = ratioOf(f);
    lines.push(
      `| ${cell(f.workload)} | ${cell(f.name)} | ${formatNumber(f.size)} | ${formatNumber(f.value)} | ${cell(f.unit)} | ${cell(f.reference ?? '')} | ${f.referenceValue === undefined ? '' : formatNumber(f.referenceValue)} | ${ratio === undefined ? '' : ratio.toFixed(2)} |`,
    );
  }
  for (const u of report.unavailable) {
    lines.push(`| ${cell(u.id)} | ${cell(u.title)} | | | | not available: ${cell(u.reason)} | | |`);
  }
  for (const f of report.failed) {
    lines.push(`| ${cell(f.id)} | ${cell(f.title)} | | | | FAILED: ${cell(f.error)} | | |`);
  }
  return lines.join('\n') + '\n';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A horizontal bar per figure that has a reference: its ratio, on a scale that always shows 1.0
 * (parity with the reference) as a dashed line.
 */
export function renderSvg(report: BenchReport): string {
  const bars = report.figures
    .map((f) => ({ label: `${f.workload} ${f.name} / ${f.reference ?? ''}`, ratio: ratioOf(f) }))
    .filter((b): b is { label: string; ratio: number } => b.ratio !== undefined);
  const labelWidth = 520;
  const chartWidth = 360;
  const barHeight = 18;
  const gap = 6;
  const top = 34;
  const height = top + Math.max(1, bars.length) * (barHeight + gap) + 24;
  const width = labelWidth + chartWidth + 70;
  const max = Math.max(1.2, ...bars.map((b) => b.ratio)) * 1.05;
  const x = (r: number) => labelWidth + (Math.min(r, max) / max) * chartWidth;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(
    `<text x="8" y="20" font-size="14" font-weight="bold">${escapeXml(`Sluice / same-run reference (${report.quick ? 'quick' : 'full'} run, ${report.startedAt})`)}</text>`,
  );
  bars.forEach((b, i) => {
    const y = top + i * (barHeight + gap);
    const fill = b.ratio >= 1 ? '#2e7d32' : b.ratio >= 0.5 ? '#1565c0' : '#c62828';
    out.push(
      `<text x="${labelWidth - 8}" y="${y + barHeight - 5}" text-anchor="end">${escapeXml(b.label)}</text>`,
    );
    out.push(
      `<rect x="${labelWidth}" y="${y}" width="${(x(b.ratio) - labelWidth).toFixed(1)}" height="${barHeight}" fill="${fill}"/>`,
    );
    out.push(
      `<text x="${(x(b.ratio) + 4).toFixed(1)}" y="${y + barHeight - 5}">${b.ratio.toFixed(2)}</text>`,
    );
  });
  if (bars.length === 0) out.push(`<text x="8" y="${top + 14}">no figure with a reference</text>`);
  const one = x(1).toFixed(1);
  const bottom = top + Math.max(1, bars.length) * (barHeight + gap);
  out.push(
    `<line x1="${one}" y1="${top - 4}" x2="${one}" y2="${bottom}" stroke="#555" stroke-dasharray="4 3"/>`,
  );
  out.push(`<text x="${one}" y="${bottom + 14}" text-anchor="middle">1.0</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** `20261127T031500Z`: sortable and safe in file names. */
export function timestampName(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Writes `<stamp>.{json,md,svg}` and `latest.{json,md,svg}` into `dir`; returns the paths. */
export async function writeReport(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['json', JSON.stringify(report, null, 2) + '\n'],
    ['md', renderMarkdown(report)],
    ['svg', renderSvg(report)],
  ];
  const stamp = timestampName(report.startedAt);
  const written: string[] = [];
  for (const [ext, text] of files) {
    for (const base of [stamp, 'latest']) {
      const path = join(dir, `${base}.${ext}`);
      await writeFile(path, text);
      written.push(path);
    }
  }
  return written;
}
