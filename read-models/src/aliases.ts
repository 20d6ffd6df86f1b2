import type { AnyProjection } from './projection';

/*
 * Each build of a view writes its own physical collection (the runner names them); readers find
 * it by alias: `<projection>` names the live one, `<projection>@<snapshot>` a time-travel snapshot.
 */

export const liveAlias = (projection: AnyProjection) => projection.name;
export const snapshotAlias = (projection: AnyProjection, snapshot: string) => `${projection.name}@${snapshot}`;
