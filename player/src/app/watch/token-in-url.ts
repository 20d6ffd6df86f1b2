/*
 * The content token rides in the URL path: `<place>/c/<token>/<titleId>/<encodingId>/<file>`, so
 * every relative URL of a manifest or playlist carries it. Renewal swaps that one path segment
 * in every later request; a place is told apart by the rest of the URL, which renewal never
 * changes. Plain string work (the browser has no node:crypto): the token is opaque here.
 */

// The place (scheme, host, any path before /c/), the token, then the title and the encoding.
const contentUrlShape =
  /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+(?:\/[^?#]*?)?\/c\/)([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(\/[^/?#]+\/[^/?#]+\/)/i;

/** The URL with its content token replaced by `token`; any other URL as it is. */
export const withContentToken = (url: string, token: string): string => {
  const match = contentUrlShape.exec(url);
  if (!match) return url;
  const [whole, place = '', current, package_ = ''] = match;
  if (current === token) return url;
  return `${place}${token}${package_}${url.slice(whole.length)}`;
};

/** The content token a URL carries, or null for a URL that is not a content URL. */
export const contentTokenOf = (url: string): string | null => contentUrlShape.exec(url)?.[2] ?? null;

/**
 * The package folder a content URL points into, without its token
 * (`http://edge:8101/c/…/t1/e1/`): the same for every file and every token of one place.
 */
export const packageKeyOf = (url: string): string | null => {
  const match = contentUrlShape.exec(url);
  if (!match) return null;
  const [, place = '', , package_ = ''] = match;
  return `${place.replace(/^[^:]+:\/\/[^/]+/, (origin) => origin.toLowerCase())}…${package_}`;
};

/** Text (an error message, a URL) with every content token in it hidden: it is shown on the page and in test logs. */
export const hideContentTokens = (text: string): string =>
  text.replace(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\//g, '/c/…/');
