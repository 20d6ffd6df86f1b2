/*
 * The app's routes live in the address bar (history API); the player's server answers every
 * one of them with index.html. Links are plain <a href> tags: a click on one inside the app is
 * caught once, at the top, and becomes a navigation without a reload.
 */

export const location = $state({ path: window.location.pathname, search: window.location.search });

const update = () => {
  location.path = window.location.pathname;
  location.search = window.location.search;
};

window.addEventListener('popstate', update);

export const navigate = (to: string, options: { replace?: boolean } = {}) => {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  update();
  window.scrollTo(0, 0);
};

/** The value of one query parameter of the current address. */
export const searchParam = (name: string): string | null => new URLSearchParams(location.search).get(name);

/** For a click anywhere in the app: an ordinary left click on an in-app link navigates in place. */
export const followLinks = (event: MouseEvent) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const anchor = (event.target as Element | null)?.closest('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}`);
};
