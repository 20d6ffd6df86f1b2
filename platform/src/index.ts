export * from './command-handling/handle-command';
export * from './config';
export * from './event-store/event-store';
export * from './event-store/open-event-store';
export * from './event-store/sqlite-event-store';
