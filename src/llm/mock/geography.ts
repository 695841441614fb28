/**
 * Where well-known places are, for the mock's MEANING(x, n, 'region') clusters: the continent of
 * about a hundred large cities and countries. Data only; a place not listed is clustered by its
 * words like any other value.
 */
const REGIONS: Readonly<Record<string, string>> = {
  'North America':
    'new york|los angeles|chicago|houston|phoenix|philadelphia|san francisco|seattle|boston|miami|austin|denver|toronto|montreal|vancouver|mexico city|guadalajara|usa|united states|canada|mexico',
  'South America': 'sao paulo|são paulo|rio de janeiro|buenos aires|lima|bogota|bogotá|santiago|caracas|quito|montevideo|brazil|argentina|chile|peru|colombia',
  Europe:
    'paris|london|berlin|madrid|rome|milan|lisbon|barcelona|amsterdam|brussels|vienna|prague|warsaw|stockholm|oslo|copenhagen|helsinki|dublin|athens|zurich|munich|lyon|budapest|france|germany|spain|italy|portugal|uk|united kingdom|netherlands|poland|sweden|norway|ireland|greece',
  Asia: 'tokyo|osaka|kyoto|beijing|shanghai|hong kong|seoul|busan|singapore|bangkok|mumbai|delhi|new delhi|bangalore|jakarta|manila|hanoi|taipei|dubai|istanbul|japan|china|korea|south korea|india|thailand|vietnam|indonesia|philippines',
  Africa: 'cairo|lagos|nairobi|johannesburg|cape town|casablanca|accra|addis ababa|dakar|kinshasa|egypt|nigeria|kenya|south africa|morocco|ghana|ethiopia',
  Oceania: 'sydney|melbourne|brisbane|perth|auckland|wellington|australia|new zealand',
};

const BY_PLACE = new Map(Object.entries(REGIONS).flatMap(([region, places]) => places.split('|').map((p) => [p, region] as const)));

/** The continent a place name is on, if the mock knows it. */
export function regionOf(place: string): string | undefined {
  return BY_PLACE.get(
    place
      .trim()
      .toLowerCase()
      .replace(/[.,]+$/, ''),
  );
}
