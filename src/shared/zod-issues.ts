/**
 * Zod issues as words a person can act on: one `field: why` per issue, the field as a dotted path.
 * It takes the issues' shape, not zod's types, so workflow code can use it without loading zod.
 */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * `path.to.field: message` for each issue. `prefix` (e.g. `body`) names where the value was found
 * and goes before every path; `whole` names the value when an issue has neither a path nor a prefix.
 */
export function issueLines(issues: readonly IssueLike[], whole = 'value', prefix?: string): string[] {
  return issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    return `${field || whole}: ${issue.message}`;
  });
}

/** The first issue of each field, in order: one problem a field is enough to act on. */
export function firstIssueOfEachField<T extends IssueLike>(issues: readonly T[]): T[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const field = issue.path.map(String).join('.');
    if (seen.has(field)) return false;
    seen.add(field);
    return true;
  });
}
