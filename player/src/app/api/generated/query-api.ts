/*
 * Generated from the query API's OpenAPI document by openapi-typescript: do not edit.
 * After changing the API, run `npm run generate:api -w player`.
 */

export interface paths {
    "/accounts/{accountId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in viewer's own account: plan, status and profiles */
        get: operations["getAccountsByaccountId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/offload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Offload ratio and misses by class (content, health, steering): in all, per viewer region, and over time */
        get: operations["getAnalyticsOffload"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/origin-titles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The titles that cost the origin most bytes sent viewers, with their offload and misses */
        get: operations["getAnalyticsOriginTitles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/popularity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A region's predicted popularity now: plays decayed over time, new releases given a prior */
        get: operations["getAnalyticsPopularity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Browse the published films and series
         * @description Published films and series (a series once, never its episodes), filtered by genre and name, most popular first unless sorted otherwise. With `profileId`, only what that profile may watch.
         */
        get: operations["getCatalog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/catalog/{titleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One published film, series or episode
         * @description A series comes with its seasons; an episode with its series, its place and the next episode. With `profileId`, a title above that profile's maturity level is refused (403 AboveMaturityLevel).
         */
        get: operations["getCatalogBytitleId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This page: every operation with its parameters */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The edge inventory: what each edge holds, is filling, and its last failure */
        get: operations["getEdges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edges/{edgeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One edge: its holdings, fills in progress and last failure */
        get: operations["getEdgesByedgeId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up and answering */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: requests, latency, projection lag, and the process */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API described as OpenAPI 3.1 */
        get: operations["getOpenapi.json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/profiles/{profileId}/continue-watching": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The films and series a profile is watching, latest first
         * @description One item per film or series. A series' item is the episode to play next: the one in progress, or the one after a finished one (from its start). Only what the profile may watch now; only for a profile of the signed-in viewer, any other profile is reported as not found.
         */
        get: operations["getProfilesByprofileIdContinueWatching"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/profiles/{profileId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A profile's watch history, latest first
         * @description Episodes name their series and place. Titles above the profile's maturity level as rated now are left out, so a page can hold fewer items than `limit`; follow nextCursor to the end. Only for a profile of the signed-in viewer; any other profile is reported as not found.
         */
        get: operations["getProfilesByprofileIdHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: 200 when every live view is within READY_MAX_LAG events of the log, else 503
         * @description Lists each projection with its checkpoint and lag; a 503 names the ones lagging. While Redis (edge health, the encoding queue) does not answer, the status is "degraded" and `degraded` names what.
         */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every series, published or not, for the content team
         * @description Most recently changed first.
         */
        get: operations["getSeries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/series/{seriesId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One series with every episode, published or not, its status, markers and intro proposal */
        get: operations["getSeriesByseriesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats/edges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** QoE of the sessions each edge served ("origin" for those the origin served) */
        get: operations["getStatsEdges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats/titles/{titleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One title's plays per day and QoE */
        get: operations["getStatsTitlesBytitleId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats/top-titles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most played titles of all time, with their QoE */
        get: operations["getStatsTopTitles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/steering/{token}/{titleId}/{encodingId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Content steering: the pathways (edges, then the origin) a session should fetch from, best first
         * @description Public: the content token in the path is the credential (its signature is checked, not its expiry, since ranking serves no content). Answers a DASH-IF / HLS steering manifest; dash.js and hls.js call it from the manifest and add their own `_DASH_*` / `_HLS_*` parameters. CORS is open to any origin.
         */
        get: operations["getSteeringBytokenBytitleIdByencodingId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every title, published or not, for the content team
         * @description Most recently changed first, with uploads, encodings and their failures.
         */
        get: operations["getTitles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One title with its uploads, encodings and failures */
        get: operations["getTitlesBytitleId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/encoding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A title's encodings in the farm: state, progress (percent, fps, speed, ETA) and queue position
         * @description Newest first; a waiting encoding has its place in the queue (1 is next), a running one its progress.
         */
        get: operations["getTitlesBytitleIdEncoding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            /** @description For InvalidRequest, each parameter or body field with its problem; otherwise what the error is about. */
            details: unknown;
            /** @description The error type, e.g. InvalidRequest or TitleNotFound: stable, for programs. */
            error: string;
            /** @description What went wrong and what to do about it. */
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAccountsByaccountId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
            };
            header?: never;
            path: {
                /** @description The account id. */
                accountId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        email: string;
                        plan: ("basic" | "standard" | "premium") | null;
                        profiles: {
                            /** @description The audio language playback starts in when the title has it; null for the title's original audio. */
                            audioLanguage: string | null;
                            /** @description The captions playback starts with when the title has them; null for captions off. */
                            captionLanguage: string | null;
                            kids: boolean;
                            /**
                             * @description The highest maturity rating this profile may see and play.
                             * @enum {string}
                             */
                            maturityLevel: "all" | "7+" | "13+" | "16+" | "18+";
                            name: string;
                            profileId: string;
                        }[];
                        registeredAt: string;
                        /** @enum {string} */
                        status: "registered" | "active" | "cancelled";
                        updatedAt: string;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for viewer. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAnalyticsOffload: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description Start of the window, inclusive (default: 7 days before until). */
                from?: string;
                /** @description Only viewers in this region (the region their session's token grants). */
                region?: string;
                /** @description Only this title. */
                titleId?: string;
                /** @description End of the window, exclusive (default: now). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The series is per hour for windows up to two days, else per day.
                         * @enum {string}
                         */
                        bucket: "hour" | "day";
                        byRegion: {
                            /** @description Bytes edges sent viewers from their own disks (hits): what the edges offloaded. */
                            edgeBytes: number;
                            /** @description Bytes not sent from an edge's disk, by why: pulled through by an edge is content; the origin's take the start's class, or health when the session left its edge. */
                            missBytes: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Plays that did not start on an edge of their region holding the title, by why. */
                            missPlays: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Edge hit bytes ÷ all bytes sent viewers (edge hits, edges pulling through, the origin); null when none were. */
                            offloadRatio: number | null;
                            /** @description Bytes the origin sent viewers. */
                            originBytes: number;
                            /** @description Sessions started in the window. */
                            plays: number;
                            /** @description null: viewers who gave none. */
                            region: string | null;
                        }[];
                        from: string;
                        series: {
                            /** @description The bucket's start. */
                            at: string;
                            /** @description Bytes edges sent viewers from their own disks (hits): what the edges offloaded. */
                            edgeBytes: number;
                            /** @description Bytes not sent from an edge's disk, by why: pulled through by an edge is content; the origin's take the start's class, or health when the session left its edge. */
                            missBytes: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Plays that did not start on an edge of their region holding the title, by why. */
                            missPlays: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Edge hit bytes ÷ all bytes sent viewers (edge hits, edges pulling through, the origin); null when none were. */
                            offloadRatio: number | null;
                            /** @description Bytes the origin sent viewers. */
                            originBytes: number;
                            /** @description Sessions started in the window. */
                            plays: number;
                        }[];
                        totals: {
                            /** @description Bytes edges sent viewers from their own disks (hits): what the edges offloaded. */
                            edgeBytes: number;
                            /** @description Bytes not sent from an edge's disk, by why: pulled through by an edge is content; the origin's take the start's class, or health when the session left its edge. */
                            missBytes: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Plays that did not start on an edge of their region holding the title, by why. */
                            missPlays: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Edge hit bytes ÷ all bytes sent viewers (edge hits, edges pulling through, the origin); null when none were. */
                            offloadRatio: number | null;
                            /** @description Bytes the origin sent viewers. */
                            originBytes: number;
                            /** @description Everything the origin sent in the window: to viewers, and to edges filling or pulling through (for a title when titleId is given; not split by region, as the origin's rows do not say which edge asked). */
                            originEgressBytes: number;
                            /** @description Sessions started in the window. */
                            plays: number;
                        };
                        until: string;
                    };
                };
            };
            /** @description A parameter is malformed, from is not before until, or the window is over a year. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAnalyticsOriginTitles: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description Start of the window, inclusive (default: 7 days before until). */
                from?: string;
                /** @description How many items to return, 1 to 100 (default 10). */
                limit?: number;
                /** @description Only viewers in this region (the region their session's token grants). */
                region?: string;
                /** @description Only this title. */
                titleId?: string;
                /** @description End of the window, exclusive (default: now). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Bytes edges sent viewers from their own disks (hits): what the edges offloaded. */
                            edgeBytes: number;
                            /** @description Bytes not sent from an edge's disk, by why: pulled through by an edge is content; the origin's take the start's class, or health when the session left its edge. */
                            missBytes: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description Plays that did not start on an edge of their region holding the title, by why. */
                            missPlays: {
                                /** @description No edge of the viewer's region held the title. */
                                content: number;
                                /** @description An edge there held it, but was down or overloaded. */
                                health: number;
                                /** @description An edge there held it and was healthy, but was not offered first. */
                                steering: number;
                            };
                            /** @description null: no such title now. */
                            name: string | null;
                            /** @description Edge hit bytes ÷ all bytes sent viewers (edge hits, edges pulling through, the origin); null when none were. */
                            offloadRatio: number | null;
                            /** @description Bytes the origin sent viewers. */
                            originBytes: number;
                            /** @description Sessions started in the window. */
                            plays: number;
                            titleId: string;
                        }[];
                    };
                };
            };
            /** @description A parameter is malformed, from is not before until, or the window is over a year. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAnalyticsPopularity: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
                /** @description Only viewers in this region (the region their session's token grants). */
                region?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The time the scores are decayed to. */
                        at: string;
                        items: {
                            name: string | null;
                            /** @description Predicted plays: recent plays count more, halving every 72 hours. */
                            score: number;
                            titleId: string;
                        }[];
                        /** @description null: every region together. */
                        region: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCatalog: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description Only titles in this genre. */
                genre?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
                /** @description Hold the answer to this profile's maturity level; it must be a profile of the signed-in viewer. */
                profileId?: string;
                /** @description Only items whose name contains this text (any case). */
                q?: string;
                /** @description popularity: most played in the last 7 days first; recency: latest published first; name: A to Z. */
                sort?: "popularity" | "recency" | "name";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            durationSeconds: number | null;
                            genres: string[];
                            /** @enum {string} */
                            kind: "film" | "series" | "episode";
                            /** @enum {string} */
                            maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                            name: string;
                            /** @description Plays in the 7 days up to the latest play (of any episode, for a series). */
                            popularity: number;
                            /** @description Relative to /content on the origin and edges: `<titleId>/<encodingId>/poster.jpg`. */
                            posterPath: string | null;
                            /** @description ISO time of the latest publish, '' when never published (sorts last). */
                            publishedAt: string;
                            synopsis: string;
                            /** @description The title's id; for a series, the series id. */
                            titleId: string;
                            year: number;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description profileId was given by a caller that is not a viewer. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCatalogBytitleId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description Hold the answer to this profile's maturity level; it must be a profile of the signed-in viewer. */
                profileId?: string;
            };
            header?: never;
            path: {
                /** @description The title id. */
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Audio languages of the published encoding, in track order (the first is the main track), each once; a track of unknown language is not listed; [] for a series or an encoding made before tracks existed. */
                        audio: {
                            /** @description BCP 47 tag, canonical ("en", "pt-BR"), as the manifests' `lang` and HLS `LANGUAGE`. */
                            language: string;
                            /** @description What a menu shows, in English: "French", "Brazilian Portuguese". */
                            name: string;
                        }[];
                        /** @description Caption languages of the published encoding; [] when it has none. */
                        captions: {
                            /** @description BCP 47 tag, canonical ("en", "pt-BR"), as the manifests' `lang` and HLS `LANGUAGE`. */
                            language: string;
                            /** @description What a menu shows, in English: "French", "Brazilian Portuguese". */
                            name: string;
                        }[];
                        /** @description Where the credits are, for "Next episode"; null when not set. */
                        credits: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        durationSeconds: number | null;
                        /** @description The episode's series and place; null for a film. */
                        episodeOf: {
                            episode: number;
                            season: number;
                            seriesId: string;
                            seriesName: string;
                        } | null;
                        genres: string[];
                        /** @description Where the intro is, for "Skip intro"; null for a series or when not set. */
                        intro: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        /** @enum {string} */
                        kind: "film" | "series" | "episode";
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        /** @description The next published episode this profile may watch; null after the last, or for a film or series. */
                        nextEpisode: {
                            episode: number;
                            name: string;
                            season: number;
                            titleId: string;
                        } | null;
                        /** @description Plays in the 7 days up to the latest play (of any episode, for a series). */
                        popularity: number;
                        /** @description Relative to /content on the origin and edges: `<titleId>/<encodingId>/poster.jpg`. */
                        posterPath: string | null;
                        /** @description ISO time of the latest publish, '' when never published (sorts last). */
                        publishedAt: string;
                        /** @description A series' published episodes by season, in order; null for a film or an episode. */
                        seasons: {
                            episodes: {
                                durationSeconds: number | null;
                                episode: number;
                                name: string;
                                posterPath: string | null;
                                synopsis: string;
                                titleId: string;
                            }[];
                            season: number;
                        }[] | null;
                        /** @description The published encoding has thumbnails for previews on the seek bar. */
                        seekPreviews: boolean;
                        synopsis: string;
                        /** @description The title's id; for a series, the series id. */
                        titleId: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Above the maturity level of the profile asking (AboveMaturityLevel), or profileId from a caller that is not a viewer. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEdges: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
                /** @description Only edges in this region. */
                region?: string;
                /** @description Only edges holding a complete copy of this title. */
                titleId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            capacityBytes: number;
                            edgeId: string;
                            filling: {
                                bytes: number;
                                encodingId: string;
                                since: string;
                                titleId: string;
                            }[];
                            held: {
                                bytes: number;
                                encodingId: string;
                                fillSeconds: number;
                                since: string;
                                titleId: string;
                            }[];
                            /** @description `titleId/encodingId` of each held encoding, to find the edges that hold one. */
                            heldEncodings: string[];
                            heldTitles: string[];
                            lastFailure: {
                                at: string;
                                encodingId: string;
                                reason: string;
                                titleId: string;
                            } | null;
                            region: string;
                            registeredAt: string;
                            upstream: string;
                            url: string;
                            usedBytes: number;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content or analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEdgesByedgeId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
            };
            header?: never;
            path: {
                /** @description The edge id. */
                edgeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        capacityBytes: number;
                        edgeId: string;
                        filling: {
                            bytes: number;
                            encodingId: string;
                            since: string;
                            titleId: string;
                        }[];
                        held: {
                            bytes: number;
                            encodingId: string;
                            fillSeconds: number;
                            since: string;
                            titleId: string;
                        }[];
                        /** @description `titleId/encodingId` of each held encoding, to find the edges that hold one. */
                        heldEncodings: string[];
                        heldTitles: string[];
                        lastFailure: {
                            at: string;
                            encodingId: string;
                            reason: string;
                            titleId: string;
                        } | null;
                        region: string;
                        registeredAt: string;
                        upstream: string;
                        url: string;
                        usedBytes: number;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content or analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "getOpenapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        components: {
                            [key: string]: unknown;
                        };
                        info: {
                            description: string;
                            title: string;
                            version: string;
                        };
                        /** @constant */
                        openapi: "3.1.0";
                        paths: {
                            [key: string]: {
                                [key: string]: unknown;
                            };
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProfilesByprofileIdContinueWatching: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The profile id. */
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            accountId: string;
                            completed: boolean;
                            durationSeconds: number;
                            /** @description The episode's series and place; null for a film. */
                            episodeOf: {
                                episode: number;
                                season: number;
                                seriesId: string;
                                seriesName: string;
                            } | null;
                            lastWatchedAt: string;
                            /** @description The title to play: the film, or the episode. */
                            name: string;
                            positionSeconds: number;
                            posterPath: string | null;
                            profileId: string;
                            /** @description How far through the title, 0 to 1. */
                            progress: number;
                            sessions: number;
                            titleId: string;
                        }[];
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for viewer. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProfilesByprofileIdHistory: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The profile id. */
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            accountId: string;
                            completed: boolean;
                            durationSeconds: number;
                            /** @description The episode's series and place; null for a film. */
                            episodeOf: {
                                episode: number;
                                season: number;
                                seriesId: string;
                                seriesName: string;
                            } | null;
                            lastWatchedAt: string;
                            name: string | null;
                            positionSeconds: number;
                            posterPath: string | null;
                            profileId: string;
                            sessions: number;
                            titleId: string;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for viewer. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What does not answer, while degraded. */
                        degraded?: string[];
                        head: number;
                        lagging: {
                            built: boolean;
                            lag: number;
                            projection: string;
                        }[];
                        maxLag: number;
                        projections: {
                            collection: string | null;
                            lag: number;
                            position: number;
                            projection: string;
                        }[];
                        /** @enum {string} */
                        status: "ready" | "degraded";
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSeries: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
                /** @description Only published (true) or unpublished (false) series. */
                published?: "true" | "false";
                /** @description Only items whose name contains this text (any case). */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            createdAt: string;
                            /** @description In season, then episode order, published or not. */
                            episodes: {
                                episode: number;
                                season: number;
                                titleId: string;
                            }[];
                            genres: string[];
                            /** @enum {string} */
                            maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                            name: string;
                            published: boolean;
                            /** @description ISO time of the latest publish; null when never published. */
                            publishedAt: string | null;
                            seriesId: string;
                            synopsis: string;
                            updatedAt: string;
                            year: number;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSeriesByseriesId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
            };
            header?: never;
            path: {
                /** @description The series id. */
                seriesId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        episodes: {
                            episode: number;
                            /** @description Where intro detection found the intro, for the team to accept. */
                            introProposal: {
                                endSeconds: number;
                                startSeconds: number;
                            } | null;
                            /** @description Where the intro and the credits are, as the content team set or accepted them. */
                            markers: {
                                credits: {
                                    endSeconds: number;
                                    startSeconds: number;
                                } | null;
                                intro: {
                                    endSeconds: number;
                                    startSeconds: number;
                                } | null;
                            };
                            /** @enum {string} */
                            maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                            name: string;
                            season: number;
                            /**
                             * @description What the content team should look at: where the title is in its life.
                             * @enum {string}
                             */
                            status: "draft" | "uploaded" | "encoding" | "encoded" | "encoding-failed" | "published";
                            titleId: string;
                        }[];
                        genres: string[];
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        published: boolean;
                        /** @description ISO time of the latest publish; null when never published. */
                        publishedAt: string | null;
                        seriesId: string;
                        synopsis: string;
                        updatedAt: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatsEdges: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            edgeId: string;
                            qoe: {
                                avgBitrateKbps: number;
                                avgStartupMs: number;
                                /** @description Bitrate weighted by seconds watched, so a long session counts for more than a short one. */
                                bitrateSecondsSum: number;
                                rebufferCount: number;
                                rebufferMsSum: number;
                                /** @description Time spent rebuffering over time spent watching or rebuffering. */
                                rebufferRatio: number;
                                reports: number;
                                startupMsSum: number;
                                watchedSecondsSum: number;
                            };
                            /** @description null for the origin. */
                            region: string | null;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatsTitlesBytitleId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
            };
            header?: never;
            path: {
                /** @description The title id. */
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string | null;
                        plays: number;
                        playsByDay: {
                            [key: string]: number;
                        };
                        qoe: {
                            avgBitrateKbps: number;
                            avgStartupMs: number;
                            /** @description Bitrate weighted by seconds watched, so a long session counts for more than a short one. */
                            bitrateSecondsSum: number;
                            rebufferCount: number;
                            rebufferMsSum: number;
                            /** @description Time spent rebuffering over time spent watching or rebuffering. */
                            rebufferRatio: number;
                            reports: number;
                            startupMsSum: number;
                            watchedSecondsSum: number;
                        };
                        titleId: string;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatsTopTitles: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description How many items to return, 1 to 100 (default 10). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string | null;
                            plays: number;
                            playsByDay: {
                                [key: string]: number;
                            };
                            posterPath: string | null;
                            qoe: {
                                avgBitrateKbps: number;
                                avgStartupMs: number;
                                /** @description Bitrate weighted by seconds watched, so a long session counts for more than a short one. */
                                bitrateSecondsSum: number;
                                rebufferCount: number;
                                rebufferMsSum: number;
                                /** @description Time spent rebuffering over time spent watching or rebuffering. */
                                rebufferRatio: number;
                                reports: number;
                                startupMsSum: number;
                                watchedSecondsSum: number;
                            };
                            titleId: string;
                        }[];
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for analyst. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSteeringBytokenBytitleIdByencodingId: {
        parameters: {
            query?: {
                /** @description dash.js: the pathways it fetched from since it last asked, quoted and comma-separated in the order it first used them (`"eu-1,us-1"`); the last is the one it plays from, kept first unless much busier than the others. */
                _DASH_pathway?: string;
                /** @description dash.js: its throughput per pathway (unused). */
                _DASH_throughput?: string;
                /** @description hls.js: the pathway it plays from (`eu-1`), kept first unless much busier than the others. */
                _HLS_pathway?: string;
                /** @description hls.js: its throughput (unused). */
                _HLS_throughput?: string;
                /** @description CMCD data dash.js may add to any request (unused). */
                CMCD?: string;
            };
            header?: never;
            path: {
                /** @description The encoding id. */
                encodingId: string;
                /** @description The title id. */
                titleId: string;
                /** @description The content token of the session, as in its content URLs. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Pathway ids, best first: edge ids, then `origin`. */
                        "PATHWAY-PRIORITY": string[];
                        /** @description Where to ask next time: this same URL, relative to itself. */
                        "RELOAD-URI": string;
                        /** @description Seconds until the player asks again. */
                        TTL: number;
                        /** @constant */
                        VERSION: 1;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content token is malformed, or not signed for this title and encoding. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTitles: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
                /** @description The previous page's nextCursor, to read the page after it. */
                cursor?: string;
                /** @description How many items to return, 1 to 100 (default 20). */
                limit?: number;
                /** @description Only items whose name contains this text (any case). */
                q?: string;
                /** @description Only titles at this point of their life. */
                status?: "draft" | "uploaded" | "encoding" | "encoded" | "encoding-failed" | "published";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The latest uploaded audio track per language, in the order first added. */
                            audioTracks: {
                                at: string;
                                language: string;
                                /** @description Not in the package viewers get (the published encoding, else the latest that succeeded) yet. */
                                pending: boolean;
                                trackId: string;
                            }[];
                            /** @description The latest captions per language, in the order first added. */
                            captions: {
                                at: string;
                                cueCount: number;
                                language: string;
                                /** @description Not in the package viewers get (the published encoding, else the latest that succeeded) yet. */
                                pending: boolean;
                                sha256: string;
                            }[];
                            createdAt: string;
                            encodings: {
                                encodeSeconds: number | null;
                                encodingId: string;
                                finishedAt: string | null;
                                ladder: {
                                    height: number;
                                    videoBitrateKbps: number;
                                    width: number;
                                }[];
                                manifestPath: string | null;
                                packageIndex: {
                                    bytes: number;
                                    files: number;
                                    sha256: string;
                                } | null;
                                reason: string | null;
                                /** @description The encoding this one revises (same video, new audio or captions); null for an encode of an upload. */
                                revisionOf: string | null;
                                startedAt: string;
                                /** @enum {string} */
                                status: "running" | "succeeded" | "failed";
                                /** @description The package's audio tracks, captions and seek previews once it succeeded; null before, or for one made before tracks existed. */
                                tracks: {
                                    audio: {
                                        language: string | null;
                                        trackId: string | null;
                                    }[];
                                    captions: {
                                        language: string;
                                        sha256: string;
                                    }[];
                                    thumbnails: {
                                        columns: number;
                                        intervalSeconds: number;
                                        rows: number;
                                        tileHeight: number;
                                        tileWidth: number;
                                    } | null;
                                } | null;
                                uploadId: string;
                            }[];
                            /** @description The episode's series, season and episode; null for a film. */
                            episodeOf: {
                                episode: number;
                                season: number;
                                seriesId: string;
                            } | null;
                            genres: string[];
                            /** @description Where intro detection found the intro, for the team to accept. */
                            introProposal: {
                                endSeconds: number;
                                startSeconds: number;
                            } | null;
                            /** @description Where the intro and the credits are, as the content team set or accepted them. */
                            markers: {
                                credits: {
                                    endSeconds: number;
                                    startSeconds: number;
                                } | null;
                                intro: {
                                    endSeconds: number;
                                    startSeconds: number;
                                } | null;
                            };
                            /** @enum {string} */
                            maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                            name: string;
                            published: {
                                at: string;
                                /** @description Languages of the audio tracks, in track order (the first is the main one); a track of unknown language is not listed. */
                                audioLanguages: string[];
                                /** @description Languages of the captions. */
                                captionLanguages: string[];
                                encodingId: string;
                                manifestPath: string;
                                /** @description The package has thumbnail sprites for previews on the seek bar. */
                                seekPreviews: boolean;
                            } | null;
                            /**
                             * @description What the content team should look at: where the title is in its life.
                             * @enum {string}
                             */
                            status: "draft" | "uploaded" | "encoding" | "encoded" | "encoding-failed" | "published";
                            synopsis: string;
                            titleId: string;
                            updatedAt: string;
                            uploads: {
                                at: string;
                                /** @description The languages of the source's audio streams as the content team gave them; null when not given. */
                                audioLanguages: (string | null)[] | null;
                                probe: {
                                    audioCodec: string | null;
                                    audioStreams?: {
                                        channels: number | null;
                                        codec: string;
                                        language: string | null;
                                    }[];
                                    durationSeconds: number;
                                    frameRate: number;
                                    height: number;
                                    videoCodec: string;
                                    width: number;
                                };
                                sha256: string;
                                sizeBytes: number;
                                uploadId: string;
                            }[];
                            year: number;
                        }[];
                        /** @description Give it as `cursor` to read the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTitlesBytitleId: {
        parameters: {
            query?: {
                /** @description Read a time-travel snapshot of the views by its name instead of the live views. */
                asOf?: string;
            };
            header?: never;
            path: {
                /** @description The title id. */
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The latest uploaded audio track per language, in the order first added. */
                        audioTracks: {
                            at: string;
                            language: string;
                            /** @description Not in the package viewers get (the published encoding, else the latest that succeeded) yet. */
                            pending: boolean;
                            trackId: string;
                        }[];
                        /** @description The latest captions per language, in the order first added. */
                        captions: {
                            at: string;
                            cueCount: number;
                            language: string;
                            /** @description Not in the package viewers get (the published encoding, else the latest that succeeded) yet. */
                            pending: boolean;
                            sha256: string;
                        }[];
                        createdAt: string;
                        encodings: {
                            encodeSeconds: number | null;
                            encodingId: string;
                            finishedAt: string | null;
                            ladder: {
                                height: number;
                                videoBitrateKbps: number;
                                width: number;
                            }[];
                            manifestPath: string | null;
                            packageIndex: {
                                bytes: number;
                                files: number;
                                sha256: string;
                            } | null;
                            reason: string | null;
                            /** @description The encoding this one revises (same video, new audio or captions); null for an encode of an upload. */
                            revisionOf: string | null;
                            startedAt: string;
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed";
                            /** @description The package's audio tracks, captions and seek previews once it succeeded; null before, or for one made before tracks existed. */
                            tracks: {
                                audio: {
                                    language: string | null;
                                    trackId: string | null;
                                }[];
                                captions: {
                                    language: string;
                                    sha256: string;
                                }[];
                                thumbnails: {
                                    columns: number;
                                    intervalSeconds: number;
                                    rows: number;
                                    tileHeight: number;
                                    tileWidth: number;
                                } | null;
                            } | null;
                            uploadId: string;
                        }[];
                        /** @description The episode's series, season and episode; null for a film. */
                        episodeOf: {
                            episode: number;
                            season: number;
                            seriesId: string;
                        } | null;
                        genres: string[];
                        /** @description Where intro detection found the intro, for the team to accept. */
                        introProposal: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        /** @description Where the intro and the credits are, as the content team set or accepted them. */
                        markers: {
                            credits: {
                                endSeconds: number;
                                startSeconds: number;
                            } | null;
                            intro: {
                                endSeconds: number;
                                startSeconds: number;
                            } | null;
                        };
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        published: {
                            at: string;
                            /** @description Languages of the audio tracks, in track order (the first is the main one); a track of unknown language is not listed. */
                            audioLanguages: string[];
                            /** @description Languages of the captions. */
                            captionLanguages: string[];
                            encodingId: string;
                            manifestPath: string;
                            /** @description The package has thumbnail sprites for previews on the seek bar. */
                            seekPreviews: boolean;
                        } | null;
                        /**
                         * @description What the content team should look at: where the title is in its life.
                         * @enum {string}
                         */
                        status: "draft" | "uploaded" | "encoding" | "encoded" | "encoding-failed" | "published";
                        synopsis: string;
                        titleId: string;
                        updatedAt: string;
                        uploads: {
                            at: string;
                            /** @description The languages of the source's audio streams as the content team gave them; null when not given. */
                            audioLanguages: (string | null)[] | null;
                            probe: {
                                audioCodec: string | null;
                                audioStreams?: {
                                    channels: number | null;
                                    codec: string;
                                    language: string | null;
                                }[];
                                durationSeconds: number;
                                frameRate: number;
                                height: number;
                                videoCodec: string;
                                width: number;
                            };
                            sha256: string;
                            sizeBytes: number;
                            uploadId: string;
                        }[];
                        year: number;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The id, or the asOf snapshot, is unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The view has not been built yet, or a rebuild swapped it mid-read; try again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTitlesBytitleIdEncoding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The title id. */
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        encodings: {
                            attempts: number;
                            /** @description The job's id, which is also the encoding's id. */
                            encodingId: string;
                            failedReason: string | null;
                            /**
                             * @description An encode of an uploaded source, or a revision: a succeeded encoding's video with the title's audio tracks and captions as they are now.
                             * @enum {string}
                             */
                            kind: "encode" | "revision";
                            progress: {
                                /** @description null until ffmpeg has reported a speed. */
                                etaSeconds: number | null;
                                /** @description Source frames decoded per second of wall time. */
                                fps: number;
                                /** @description 0 to 100, of the source's duration. */
                                percent: number;
                                /** @description Source seconds encoded per second of wall time (2 means twice as fast as real time). */
                                speed: number;
                            } | null;
                            queuedAt: string;
                            /** @description For a waiting job: 1 when it is next. */
                            queuePosition: number | null;
                            /** @description For a revision: the encoding it revises, once it has started (null before, and for an encode). */
                            revisionOf: string | null;
                            /** @enum {string} */
                            state: "waiting" | "active" | "delayed" | "completed" | "failed" | "unknown";
                            /** @description The source encoded; null for a revision that has not started yet. */
                            uploadId: string | null;
                        }[];
                        titleId: string;
                    };
                };
            };
            /** @description A parameter is wrong or unknown; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or a token or key that is not valid (or has expired). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role may not use this; it is for content. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The encoding queue is not reachable from this API. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
