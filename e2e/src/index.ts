export {
  busyPorts,
  defaultRedisUrl,
  isListening,
  type Platform,
  pidListeningOn,
  platformPorts,
  repositoryRoot,
  type StartOptions,
  startPlatform,
} from './platform';
export {
  type CatalogEntry,
  clockSeconds,
  type Plan,
  planMaxHeight,
  signUp,
  type VideoFacts,
  videoFacts,
  viewerCatalog,
  type WatchSnapshot,
  waitForPlaybackPast,
  watchSnapshot,
} from './viewer';
