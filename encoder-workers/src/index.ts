export * from './encoding/encode-package';
export * from './encoding/encoding-arguments';
export type { EncodingProgress } from './encoding/encoding-progress';
export * from './encoding/ladder';
export { probeSource } from './encoding/probe-source';
export * from './jobs/dispatcher';
export * from './jobs/encode-queue';
export * from './jobs/encode-worker';
export * from './jobs/encoding-status';
