/** Stream names are `<category>-<id>`; the category is everything before the first dash. */
export const streamCategories = ['account', 'title', 'series', 'playback', 'edge', 'email', 'serving'] as const;
export type StreamCategory = (typeof streamCategories)[number];

export const streamName = (category: StreamCategory, id: string): string => `${category}-${id}`;

export const categoryOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
};

export const idOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? '' : stream.slice(dash + 1);
};
