/**
 * Static data and pure functions behind the Life-OS endpoints: the job board's listings, job
 * search scoring, CV tailoring and grocery planning. No I/O.
 */

export interface Job {
  id: string;
  title: string;
  company: string;
  location: string;
  tags: readonly string[];
  description: string;
}

export const JOBS: readonly Job[] = [
  job('job-101', 'Backend Engineer (Node.js)', 'Acme Payments', 'Remote', ['backend', 'node', 'typescript', 'postgres'], 'Build payment APIs and ledgers in TypeScript.'),
  job('job-102', 'Senior Backend Engineer (Go)', 'Northwind Logistics', 'Berlin', ['backend', 'go', 'kubernetes', 'grpc'], 'Scale routing services that move parcels across Europe.'),
  job('job-103', 'Frontend Engineer (React)', 'Pixel & Co', 'Remote', ['frontend', 'react', 'typescript', 'css'], 'Craft accessible product interfaces used by millions.'),
  job('job-104', 'Data Engineer', 'Riverbank Analytics', 'London', ['data', 'python', 'spark', 'sql'], 'Own batch and streaming pipelines for risk analytics.'),
  job('job-105', 'Backend Developer (Java/Spring)', 'Globex Bank', 'Remote', ['backend', 'java', 'spring', 'sql'], 'Maintain core banking services and their APIs.'),
  job('job-106', 'Full-Stack Engineer', 'Tiny Robots', 'Lisbon', ['fullstack', 'frontend', 'react', 'node'], 'Ship features end to end, from database to browser; backend-leaning.'),
  job('job-107', 'Data Scientist', 'Helix Health', 'Boston', ['data', 'python', 'ml', 'statistics'], 'Model patient outcomes and run experiments.'),
  job('job-108', 'Platform Engineer', 'CloudNine', 'Remote', ['infrastructure', 'kubernetes', 'terraform', 'backend'], 'Run the platform every product team deploys on.'),
  job('job-109', 'Frontend Developer (Vue)', 'Shopwise', 'Amsterdam', ['frontend', 'vue', 'javascript'], 'Build the storefront and checkout experience.'),
  job('job-110', 'Backend Engineer (Python)', 'Lumen AI', 'Remote', ['backend', 'python', 'django', 'postgres'], 'Serve machine-learning features through reliable APIs.'),
  job('job-111', 'Analytics Engineer', 'Metricly', 'Remote', ['data', 'sql', 'dbt'], 'Turn raw events into trustworthy metrics.'),
  job('job-112', 'Mobile Engineer (React Native)', 'GoFit', 'Remote', ['mobile', 'react-native', 'frontend'], 'Build the fitness app our members open every morning.'),
];

function job(id: string, title: string, company: string, location: string, tags: string[], description: string): Job {
  return { id, title, company, location, tags, description };
}

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

const STAPLES: readonly GroceryStaple[] = [
  { name: 'Oats', category: 'pantry', unit: 'kg', perPersonDay: 60, pack: 500 },
  { name: 'Rice', category: 'pantry', unit: 'kg', perPersonDay: 90, pack: 1000 },
  { name: 'Lentils', category: 'pantry', unit: 'kg', perPersonDay: 50, pack: 500 },
  { name: 'Olive oil', category: 'pantry', unit: 'l', perPersonDay: 20, pack: 500 },
  { name: 'Bread', category: 'bakery', unit: 'loaf', perPersonDay: 250, pack: 1000 },
  { name: 'Eggs', category: 'dairy', unit: 'pcs', perPersonDay: 1500, pack: 6000 },
  { name: 'Milk', category: 'dairy', unit: 'l', perPersonDay: 300, pack: 1000 },
  { name: 'Yogurt', category: 'dairy', unit: 'pcs', perPersonDay: 1000, pack: 4000 },
  { name: 'Chicken breast', category: 'protein', unit: 'kg', perPersonDay: 150, pack: 500 },
  { name: 'Mixed vegetables', category: 'produce', unit: 'kg', perPersonDay: 400, pack: 1000 },
  { name: 'Fruit', category: 'produce', unit: 'pcs', perPersonDay: 2000, pack: 1000 },
  { name: 'Salad greens', category: 'produce', unit: 'bag', perPersonDay: 250, pack: 1000 },
];

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
