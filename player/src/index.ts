// The player package's face for other packages (the end-to-end tests): its web server, built
// the way main.ts builds it. The app itself is a browser bundle (`npm run build -w player`).
export { createPlayerApp, type PlayerServerOptions } from './server/app';
