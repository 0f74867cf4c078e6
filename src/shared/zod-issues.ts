/**
 * Zod issues as words a person can act on: one `field: why` per issue, the field as a dotted path.
 * It takes the issues' shape, not zod's types, so workflow code can use it without loading zod.
 */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** `path.to.field: message` for each issue; `whole` names the value itself when an issue has no path. */
export function issueLines(issues: readonly IssueLike[], whole = 'value'): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || whole}: ${issue.message}`);
}
