/**
 * The intent classifier: NLP.js's neural network (one perceptron per intent over stemmed words),
 * trained from the corpus. Its training starts from zero weights and has no randomness, so the
 * same corpus always gives the same model and the same scores.
 */
import { NeuralNetwork, type NeuralJson } from '@nlpjs/neural';
import { StemmerEn } from '@nlpjs/lang-en-min';
import { INTENTS, TRAIN, type CorpusEntry, type Intent } from './corpus.js';

export interface IntentScore {
  intent: Intent;
  /** Share of the summed scores, 0..1. */
  score: number;
  /** The network's own output, about 1 for phrasings like the corpus's and near 0 for words it barely knows. */
  evidence: number;
}

const stemmer = new StemmerEn();
const NUMBER_WORDS = new RegExp(
  '\\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|' +
    'hundred|thousand|grand|twice|thrice|once)\\b',
  'g',
);

/**
 * The words the network sees: amounts and counts become "xnum" and request ids "xid", so that
 * "pay bob 40" and "pay sam $1.5k" look alike and no number is learnt as a word.
 */
export function features(text: string): Record<string, number> {
  const normalised = text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    // "work out" is exercise, "work" alone is a job.
    .replace(/\bwork(?:ing)?\s+out\b/g, 'workout')
    .replace(/\b(?=[a-z0-9._:@+-]*\d)[a-z]+[-_][a-z0-9._:@+-]+/g, ' xid ')
    .replace(/[$€£¥₹]?\d[\d.,]*\s*(?:k\b|m\b)?\$?/g, ' xnum ')
    .replace(NUMBER_WORDS, ' xnum ');
  const input: Record<string, number> = {};
  for (const token of stemmer.tokenizeAndStem(normalised, true)) input[token] = 1;
  return input;
}

function isIntent(label: string): label is Intent {
  return (INTENTS as readonly string[]).includes(label);
}

export class IntentClassifier {
  private constructor(private readonly network: NeuralNetwork) {}

  static train(entries: readonly CorpusEntry[]): IntentClassifier {
    const network = new NeuralNetwork({ log: false });
    const corpus = entries
      .filter((entry) => entry.intent !== 'combo')
      .map((entry) => ({ input: features(entry.text), output: { [entry.intent]: 1 } }));
    network.train(corpus);
    return new IntentClassifier(network);
  }

  static fromJSON(json: NeuralJson): IntentClassifier {
    const network = new NeuralNetwork();
    network.fromJSON(json);
    return new IntentClassifier(network);
  }

  toJSON(): NeuralJson {
    return this.network.toJSON();
  }

  /** Intents best first; a text with no word the corpus knows is "none". */
  classify(text: string): IntentScore[] {
    const raw = this.network.run(features(text)) ?? {};
    const entries = Object.entries(raw).filter((pair): pair is [Intent, number] => isIntent(pair[0]));
    const total = entries.reduce((sum, [, value]) => sum + value, 0);
    if (total <= 0) return [{ intent: 'none', score: 1, evidence: 0 }];
    return entries
      .map(([intent, value]) => ({ intent, score: value / total, evidence: value }))
      .sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));
  }
}

let trained: IntentClassifier | undefined;

/** The classifier trained from the corpus, built on first use (the planning worker warms it at start-up). */
export function intentClassifier(): IntentClassifier {
  trained ??= IntentClassifier.train(TRAIN);
  return trained;
}
