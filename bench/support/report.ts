export type Verdict = 'PASS' | 'FAIL' | 'info' | 'ERROR';

export interface ReportRow {
  metric: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

export function verdict(ok: boolean | undefined): Verdict {
  if (ok === undefined) return 'ERROR';
  return ok ? 'PASS' : 'FAIL';
}

const HEADER: ReportRow = { metric: 'metric', measured: 'measured', reference: 'baseline/ceiling', ratio: 'ratio', target: 'target', verdict: 'PASS' };
const KEYS = ['metric', 'measured', 'reference', 'ratio', 'target', 'verdict'] as const;

/** A fixed-width text table that reads in a terminal and pastes into Markdown as-is. */
export function formatTable(rows: ReportRow[]): string {
  const header = { ...HEADER, verdict: 'result' } as unknown as ReportRow;
  const all = [header, ...rows];
  const widths = KEYS.map((key) => Math.max(...all.map((row) => String(row[key]).length)));
  const line = (row: ReportRow): string => `| ${KEYS.map((key, i) => String(row[key]).padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  rate: (n: number, unit: string): string => `${Math.round(n).toLocaleString('en-US')} ${unit}`,
  ms: (n: number): string => (n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`),
  ratio: (n: number): string => n.toFixed(2),
  times: (n: number): string => `${n.toFixed(1)}×`,
  mb: (n: number): string => `${n.toFixed(0)} MB`,
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
