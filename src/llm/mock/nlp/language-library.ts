/**
 * eld with its "extrasmall" n-gram database (60 languages), a chunk of its own: about 280 KB
 * gzipped and 130 ms to start, paid only by model workers whose answers need a language.
 */
import { eld } from 'eld/extrasmall';

export const LANGUAGE_LIBRARY = { eld };
