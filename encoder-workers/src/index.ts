export * from './encoding/encode-package';
export * from './encoding/encoding-arguments';
export * from './encoding/ladder';
export { probeSource } from './encoding/probe-source';
export * from './jobs/dispatcher';
export * from './jobs/encode-queue';
export * from './jobs/encode-worker';
