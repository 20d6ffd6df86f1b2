export { commandApiDocument, commandOperations, createCommandApp, type RateLimits } from './app';
export type { CommandContext } from './context';
