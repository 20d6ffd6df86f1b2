export * from './runner/generations';
export * from './runner/parallel-rebuild';
export * from './runner/projector';
export * from './runner/run-projections';
export * from './simulate/delivery-figures';
export * from './simulate/simulate-fill';
export * from './simulate/simulation-table';
