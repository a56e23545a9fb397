// For tests only: /metrics read back by a Prometheus text-format parser from npm (parse-prometheus-text-format,
// prom2json-compatible output), and one sample looked up by name and labels.
// @ts-expect-error: the package ships no types; its output is typed below.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
}

export function parseMetrics(text: string): Family[] {
  return (parsePrometheusTextFormat as (text: string) => Family[])(text);
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
export function sample(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const found = family?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!found?.length) return undefined;
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return Number(found[0].value);
}
