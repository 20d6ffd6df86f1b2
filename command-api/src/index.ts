export { commandApiDocument, commandOperations, createCommandApp, type RateLimits } from './app';
export type { CommandContext } from './context';
export { openSharedState, type SharedState } from './shared-state';
