/**
 * compromise (people, places, organisations, numbers, contractions), a chunk of its own: about
 * 140 KB gzipped and 200 ms to start, paid only by model workers whose answers need it.
 */
import compromise from 'compromise';

export const ENTITY_LIBRARY = { compromise };
