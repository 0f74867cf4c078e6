/**
 * What a review decision would do to the steps it covers, before the approver confirms: a step
 * rejected or skipped does not run, and neither does any step that depends on it, directly or
 * through others (the run skips them as dag.ts's `readiness` does). Pure.
 */
export const REVIEW_CHOICES = ['approve', 'reject', 'skip'] as const;
export type ReviewChoice = (typeof REVIEW_CHOICES)[number];

export type StepPreview =
  | { outcome: ReviewChoice }
  /** Not decided in this review: it runs (or asks for its own decision) when its dependencies succeed. */
  | { outcome: 'will_run' }
  /** A step it depends on would be rejected or skipped; `because` names those in this review. */
  | { outcome: 'skipped'; because: string[] };

export interface CascadeStep {
  step_id: string;
  depends_on: readonly string[];
}

/**
 * Each step's outcome under `choices`, in the order given. A step chosen for approval whose
 * dependency would not run is shown skipped too: the run never reaches its gate.
 */
export function previewChoices(
  steps: readonly CascadeStep[],
  choices: Readonly<Record<string, ReviewChoice>>,
): Map<string, StepPreview> {
  const byId = new Map(steps.map((s) => [s.step_id, s]));
  const previews = new Map<string, StepPreview>();
  const visiting = new Set<string>();
  const previewOf = (id: string): StepPreview => {
    const known = previews.get(id);
    if (known) return known;
    const step = byId.get(id);
    const choice = Object.hasOwn(choices, id) ? choices[id] : undefined;
    if (!step || visiting.has(id)) return { outcome: choice ?? 'will_run' };
    visiting.add(id);
    const because = new Set<string>();
    for (const dep of step.depends_on) {
      const upstream = previewOf(dep);
      if (upstream.outcome === 'reject' || upstream.outcome === 'skip') because.add(dep);
      else if (upstream.outcome === 'skipped') for (const root of upstream.because) because.add(root);
    }
    visiting.delete(id);
    const preview: StepPreview =
      choice === 'reject' || choice === 'skip'
        ? { outcome: choice }
        : because.size > 0
          ? { outcome: 'skipped', because: [...because].sort() }
          : { outcome: choice ?? 'will_run' };
    previews.set(id, preview);
    return preview;
  };
  for (const step of steps) previewOf(step.step_id);
  return previews;
}
