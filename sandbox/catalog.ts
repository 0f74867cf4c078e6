/**
 * Pure functions behind the Life-OS endpoints: job search scoring, CV tailoring and grocery
 * planning, over the job board's listings and the grocery staples in catalog.json (data, typed here).
 */
import catalog from './catalog.json' with { type: 'json' };

export interface Job {
  id: string;
  title: string;
  company: string;
  location: string;
  tags: readonly string[];
  description: string;
}

export const JOBS: readonly Job[] = catalog.jobs;

export function findJob(id: string): Job | undefined {
  return JOBS.find((j) => j.id === id);
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9.+#-]+/)
    .map((t) => t.replace(/^[-.]+|[-.]+$/g, ''))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t))
    .filter((t) => t.length > 1);
}

/** The `count` best matches for `query`: title words weigh most, then tags, then the rest. */
export function searchJobs(query: string, count: number): Array<Job & { score: number }> {
  const words = new Set(tokens(query));
  return JOBS.map((j) => {
    const title = tokens(j.title);
    const rest = tokens(`${j.company} ${j.location} ${j.description}`);
    let score = 0;
    for (const w of words) {
      if (title.includes(w)) score += 3;
      if (j.tags.includes(w)) score += 2;
      if (rest.includes(w)) score += 1;
    }
    return { ...j, score };
  })
    .filter((j) => j.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, count);
}

export interface TailoredCv {
  cv_id: string;
  job_id: string;
  title: string;
  company: string;
  text: string;
}

/** A CV rewritten for one listing; deterministic, so the same job always gets the same CV id and text. */
export function tailorCv(j: Job): TailoredCv {
  const text = [
    `Tailored CV for ${j.title} at ${j.company}`,
    `Summary: engineer with hands-on experience in ${j.tags.join(', ')}, keen to join ${j.company} (${j.location}).`,
    `Why ${j.company}: ${j.description}`,
    `Highlights: shipped production systems using ${j.tags.slice(0, 2).join(' and ')}; owns work end to end.`,
  ].join('\n');
  return { cv_id: `cv-${j.id}`, job_id: j.id, title: j.title, company: j.company, text };
}

interface GroceryStaple {
  name: string;
  category: string;
  unit: string;
  /** Thousandths of `unit` one person eats per day. */
  perPersonDay: number;
  /** Thousandths of `unit` per pack: quantities are rounded up to whole packs. */
  pack: number;
}

const STAPLES: readonly GroceryStaple[] = catalog.staples;

export interface GroceryItem {
  name: string;
  category: string;
  quantity: number;
  unit: string;
}

/** Staples for `people` over `days`, rounded up to whole packs. */
export function planGroceries(days: number, people: number): GroceryItem[] {
  const personDays = days * people;
  return STAPLES.map((s) => {
    const packs = Math.ceil((s.perPersonDay * personDays) / s.pack);
    return { name: s.name, category: s.category, quantity: (packs * s.pack) / 1000, unit: s.unit };
  });
}
