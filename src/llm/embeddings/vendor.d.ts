/** Types for the stopword package (it ships none): only what the mock embedder uses. */
declare module 'stopword' {
  export const eng: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}
