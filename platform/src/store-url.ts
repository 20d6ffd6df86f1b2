/**
 * The path a store URL names after its scheme (`sqlite:./data/views.db`, `sqlite:///abs/views.db`,
 * `file:./data/edge`), or '' when it names none: every store opener reads its URLs this way.
 */
export const pathInStoreUrl = (url: string, scheme: string): string =>
  url.slice(scheme.length).replace(/^\/\/(?=\/)/, '');

/** A URL fit for a message: its password, if it has one, replaced by `***`. */
export const withoutPassword = (url: string): string =>
  url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^/@]*@/i, '$1***@');
