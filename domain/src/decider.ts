/**
 * A decider is three plain functions over one stream: `decide` turns a command and the
 * current state into new events (or throws a typed DomainError), `evolve` folds one event
 * into the state, and `initialState` is the state of a stream with no events.
 */
export type Decider<Command, State, Event> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

/** A domain event as deciders see it: a type and its payload at the current schema version. */
export type DomainEvent<Type extends string = string, Data = unknown> = {
  type: Type;
  data: Data;
};

export const foldEvents = <State, Event>(
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State => {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
