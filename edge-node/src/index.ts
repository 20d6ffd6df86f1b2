export * from './content-disk';
export * from './content-path';
export * from './content-server';
export * from './edge-app';
export * from './edge-config';
export * from './edge-metrics';
export * from './fill-agent';
export * from './upstream';
