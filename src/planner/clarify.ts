/**
 * The planner's clarifying question and the page's buttons for it. The question travels as the
 * run's error text (the workflow keeps only a message), so its two likeliest readings are written
 * in a fixed form that `clarificationChoices` reads back: each choice is a message to send as is.
 */
const ASK = 'Did you mean: ';
const CHOICE = /"((?:[^"\\]|\\.)*)"/g;

export function clarifyingQuestion(unclear: string, choices: readonly string[]): string {
  const quoted = choices.map((choice) => JSON.stringify(choice));
  const shown = unclear.length > 80 ? `${unclear.slice(0, 77)}...` : unclear;
  return `I am not sure what you meant by ${JSON.stringify(shown)}. ${ASK}${quoted.join(', or ')}?`;
}

/** The choices of a clarifying question, or [] for any other message. */
export function clarificationChoices(message: string): string[] {
  const at = message.lastIndexOf(ASK);
  if (at < 0 || !message.endsWith('?')) return [];
  const choices: string[] = [];
  for (const match of message.slice(at + ASK.length, -1).matchAll(CHOICE)) {
    choices.push(JSON.parse(`"${match[1]!}"`) as string);
  }
  return choices;
}
