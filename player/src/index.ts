// The player package's face for other packages (the end-to-end tests): its web server, built
// the way main.ts builds it, and the watch page's state the tests read. The app itself is a
// browser bundle (`npm run build -w player`).
export type { WatchState } from './app/watch/watch-state';
export { createPlayerApp, type PlayerServerOptions } from './server/app';
