/** The parts of NLP.js the planner uses (the packages ship no types). */
declare module '@nlpjs/neural' {
  export interface NeuralCorpusItem {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export interface NeuralJson {
    settings: Record<string, unknown>;
    features?: string[];
    intents?: string[];
    perceptrons?: number[][];
  }
  export class NeuralNetwork {
    constructor(settings?: { iterations?: number; log?: boolean });
    train(corpus: NeuralCorpusItem[]): { error: number; iterations: number };
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): NeuralJson;
    fromJSON(json: NeuralJson): void;
  }
}

declare module '@nlpjs/lang-en-min' {
  export class StemmerEn {
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
}
