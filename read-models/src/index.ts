export * from './aliases';
export * from './projection';
export * from './read-view';
export * from './steering/rank-holding-edges';
export * from './views';
