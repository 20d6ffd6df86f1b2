export {
  type ApiViewer,
  CommandApiRefused,
  heartbeatThroughApi,
  type PlaybackAnswer,
  type PlaybackManifest,
  pathwayDirectory,
  signUpThroughApi,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
} from './api-viewer';
export {
  type BareEngine,
  type BarePlayerFacts,
  type BarePlayerServer,
  type BarePlayerState,
  barePlayerFacts,
  serveBarePlayer,
  startBarePlayer,
  waitForBarePlayback,
} from './bare-player';
export {
  type DecodedVideoStream,
  type FfmpegRead,
  ffmpegReadReport,
  framesByHeight,
  type ProbedStreams,
  probeStreams,
  readWithFfmpeg,
} from './ffmpeg-read';
export {
  type MediaAnswer,
  type PathwayMove,
  type PathwayWatch,
  pathwayMove,
  type SteeringAnswer,
  watchPathways,
} from './pathway-watch';
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
export type { Check } from './soak/final-checks';
export { describeSoak, runSoak, type SoakOptions, type SoakReport } from './soak/run-soak';
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
