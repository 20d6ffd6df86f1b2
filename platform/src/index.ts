export * from './command-handling/handle-command';
export * from './config';
export * from './event-store/event-store';
export * from './event-store/open-event-store';
export * from './event-store/sqlite-event-store';
export * from './view-store/open-view-store';
export * from './view-store/sqlite-view-store';
export * from './view-store/view-store';
