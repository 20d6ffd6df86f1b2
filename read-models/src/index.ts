export * from './aliases';
export * from './projection';
export * from './read-view';
export * from './views';
