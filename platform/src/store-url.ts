/**
 * The path a store URL names after its scheme (`sqlite:./data/views.db`, `sqlite:///abs/views.db`,
 * `file:./data/edge`), or '' when it names none: every store opener reads its URLs this way.
 */
export const pathInStoreUrl = (url: string, scheme: string): string =>
  url.slice(scheme.length).replace(/^\/\/(?=\/)/, '');
