/**
 * A strict reader of the Prometheus text exposition format 0.0.4
 * (prometheus.io/docs/instrumenting/exposition_formats): it throws on any
 * line a Prometheus server would refuse, so a test that reads a scrape with
 * it also proves the scrape parses.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || family.type === 'summary')) return family;
  }
  return undefined;
}

/** A value as Go's strconv.ParseFloat reads it (the format's rule), which takes NaN and Inf in any case: prom-client writes "Nan". */
function parseValue(raw: string, line: string): number {
  if (/^\+?inf(inity)?$/i.test(raw)) return Infinity;
  if (/^-inf(inity)?$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`not a number: "${raw}" in line "${line}"`);
  return Number(raw);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text.trim();
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,\s*)?/.exec(rest);
    if (!match || !labelName.test(match[1]!)) throw new Error(`bad labels in line "${line}"`);
    if (match[1]! in labels) throw new Error(`label ${match[1]} twice in line "${line}"`);
    labels[match[1]!] = match[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(match[0].length);
    if (!match[3] && rest.length > 0) throw new Error(`labels not separated by commas in line "${line}"`);
  }
  return labels;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const declare = (name: string): Family => {
    if (!metricName.test(name)) throw new Error(`bad metric name "${name}"`);
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [] };
      families.set(name, family);
    } else if (family.samples.length > 0) {
      throw new Error(`metadata for ${name} after its samples`);
    }
    return family;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!meta) continue; // a plain comment
      const [, kind, name, rest = ''] = meta;
      const family = declare(name!);
      if (kind === 'TYPE') {
        if (!types.has(rest.trim())) throw new Error(`unknown type in "${line}"`);
        if (family.type !== 'untyped' && closed.has(`${name}:type`)) throw new Error(`TYPE of ${name} given twice`);
        family.type = rest.trim() as Family['type'];
        closed.add(`${name}:type`);
      } else {
        if (family.help !== undefined) throw new Error(`HELP of ${name} given twice`);
        family.help = rest;
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/.exec(line);
    if (!sample) throw new Error(`not a sample line: "${line}"`);
    const [, name, labelText = '', value] = sample;
    const family = familyOf(name!, families) ?? declare(name!);
    if (current !== family) {
      if (closed.has(family.name)) throw new Error(`samples of ${family.name} are not together`);
      if (current) closed.add(current.name);
      current = family;
    }
    family.samples.push({ name: name!, labels: parseLabels(labelText, line), value: parseValue(value!, line) });
  }
  return families;
}

/** The value of the one sample with this name and these labels (among others), or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(name, families);
  const matching = family?.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) ?? [];
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value;
}

/** The sum over every sample with this name whose labels include these. */
export function sampleSum(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(name, families);
  return (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}
