/** Data bundled with the app: loaded at start, offered in the data panel, and loadable by any widget. */
export const SAMPLE_DATASETS = [
  { table: 'tweets', url: 'data/tweets.csv', title: 'Tweets', description: '3,000 synthetic tweets: id, author, text, created_at, likes' },
] as const;

export type SampleDataset = (typeof SAMPLE_DATASETS)[number];

/** The first visit's query, and the empty state's example. */
export const EXAMPLE_SQL = `-- @ parallel: 8
-- Each semantic operator is one model call per distinct input, run 8 at a time.
SELECT id, author, text,
       sentiment(text) AS mood,
       text ALIGNS 'SQL is good for AI' AS sql_for_ai
FROM tweets
LIMIT 20;`;
