/*
 * Generated from the command API's OpenAPI document by openapi-typescript: do not edit.
 * After changing the API, run `npm run generate:api -w player`.
 */

export interface paths {
    "/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign up: register an account and start its subscription
         * @description Answers with the account id and an access token. The email address must not belong to another account.
         */
        post: operations["postAccounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/accounts/{accountId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the subscription */
        post: operations["postAccountsByaccountIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/accounts/{accountId}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the plan of an active subscription */
        post: operations["postAccountsByaccountIdPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/accounts/{accountId}/profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a profile (at most 5 per account) */
        post: operations["postAccountsByaccountIdProfiles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/accounts/{accountId}/profiles/{profileId}/languages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a profile's audio and caption languages: what playback starts with
         * @description Tags as BCP 47 ("en", "fr", "pt-BR"; "fre" and "FR" are read too). A title without the language plays its original audio, or no captions.
         */
        put: operations["putAccountsByaccountIdProfilesByprofileIdLanguages"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/accounts/{accountId}/profiles/{profileId}/maturity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a profile's maturity level: the highest rating it may watch
         * @description Every read that names a title, and every playback start, is held to the profile's level.
         */
        put: operations["putAccountsByaccountIdProfilesByprofileIdMaturity"];
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
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Answers 200 while the process is up */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with email and password; answers with an access token */
        post: operations["postLogin"];
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
        /** Prometheus metrics: requests, latency, appends, conflicts, and the process */
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
    "/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start playback: a stream slot, the ranked DASH and HLS URLs with a content token, and where to resume */
        post: operations["postPlayback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/playback/{sessionId}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A heartbeat: records the position, keeps the stream slot and renews the content token
         * @description Send one every 15 to 30 seconds, and before the content token expires. Without them the session expires after two minutes. Each answer carries a fresh content token with the same grant: use it in later URLs (`/c/<new token>/…` in place of `/c/<old token>/…`).
         */
        post: operations["postPlaybackBysessionIdProgress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/playback/{sessionId}/qoe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report the quality of experience: startup time, rebuffering, bitrate, switches */
        post: operations["postPlaybackBysessionIdQoe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/playback/{sessionId}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop playback: records the final position and gives the stream slot back */
        post: operations["postPlaybackBysessionIdStop"];
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
        /** Answers 200 when the event store and the view store answer (status "degraded", naming what, while the kept answers or edge health in Redis do not), 503 otherwise */
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
        get?: never;
        put?: never;
        /** Create a series (its rating is the floor of its episodes’) */
        post: operations["postSeries"];
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
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a series' metadata (only the fields sent) */
        patch: operations["patchSeriesByseriesId"];
        trace?: never;
    };
    "/series/{seriesId}/episodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add an episode: a new title in a season’s numbered place, its missing metadata taken from the series
         * @description The episode is a title like a film: upload its source, and publish it, with the /titles/{titleId}/… endpoints. Viewers see it while both it and its series are published.
         */
        post: operations["postSeriesByseriesIdEpisodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/series/{seriesId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a series: its published episodes become visible to viewers */
        post: operations["postSeriesByseriesIdPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/series/{seriesId}/unpublish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a series, and with it every episode, from viewers */
        post: operations["postSeriesByseriesIdUnpublish"];
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
        get?: never;
        put?: never;
        /** Create a title */
        post: operations["postTitles"];
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
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a title's metadata (only the fields sent) */
        patch: operations["patchTitlesBytitleId"];
        trace?: never;
    };
    "/titles/{titleId}/audio/{language}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload an audio track in one language (a dub, an audio description) in one streaming request
         * @description Send the file as the body with Content-Type audio/*, video/* or application/octet-stream; its first audio stream is the track (a video stream in it is ignored). A later track in the same language replaces it. For large files over unreliable links use the tus endpoint /titles/uploads with metadata kind=audio and language=<tag>.
         */
        put: operations["putTitlesBytitleIdAudioBylanguage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/captions/{language}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload a title's captions in one language (WebVTT, or SRT converted to WebVTT)
         * @description Send the file as the body: WebVTT with Content-Type text/vtt, SRT with application/x-subrip (or text/srt); with text/plain, application/octet-stream or none, a file starting with "WEBVTT" is read as WebVTT and any other as SRT. UTF-8, at most 2 MiB. The same file again changes nothing; another file in the same language replaces the captions. A published title shows them once its package is revised.
         */
        put: operations["putTitlesBytitleIdCaptionsBylanguage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/intro/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take intro detection's proposed intro as the episode's intro (its credits stay as they are) */
        post: operations["postTitlesBytitleIdIntroAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/markers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a film's or an episode's intro and credits (the player offers to skip them) */
        put: operations["putTitlesBytitleIdMarkers"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish the latest successful encoding */
        post: operations["postTitlesBytitleIdPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/source": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload a title's source video in one streaming request
         * @description Send the file as the body with Content-Type video/* or application/octet-stream. For large files over unreliable links use the tus endpoint /titles/uploads instead.
         */
        put: operations["putTitlesBytitleIdSource"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/titles/{titleId}/unpublish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a title from viewers */
        post: operations["postTitlesBytitleIdUnpublish"];
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
    postAccounts: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @description The address to log in with.
                     */
                    email: string;
                    /** @description 10 to 200 characters. */
                    password: string;
                    /**
                     * @description basic (720p, 1 stream), standard (1080p, 2 streams) or premium (2160p, 4 streams).
                     * @enum {string}
                     */
                    plan: "basic" | "standard" | "premium";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        /** @enum {string} */
                        plan: "basic" | "standard" | "premium";
                        /** @description An access token: send it as `Authorization: Bearer <token>`. */
                        token: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The email address belongs to another account. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many sign-ups from this address. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAccountsByaccountIdCancel: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                accountId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        /** @constant */
                        status: "cancelled";
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAccountsByaccountIdPlan: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                accountId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    plan: "basic" | "standard" | "premium";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        /** @enum {string} */
                        plan: "basic" | "standard" | "premium";
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAccountsByaccountIdProfiles: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                accountId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description A kids profile.
                     * @default false
                     */
                    kids?: boolean;
                    /**
                     * @description The highest rating the profile may watch: 18+ for an adult, 7+ (the most a kids profile may have) for kids, unless chosen.
                     * @enum {string}
                     */
                    maturityLevel?: "all" | "7+" | "13+" | "16+" | "18+";
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        kids: boolean;
                        /** @enum {string} */
                        maturityLevel: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        profileId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The account has 5 profiles already, or one with this name (ProfileLimitReached, ProfileAlreadyExists). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A kids profile cannot have a maturity level above 7+ (KidsMaturityCapExceeded). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAccountsByaccountIdProfilesByprofileIdLanguages: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                accountId: string;
                profileId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The audio language playback starts in ("fr"), when the title has it; null for the title's original audio. */
                    audioLanguage: string | null;
                    /** @description The captions shown from the start ("en"), when the title has them; null for captions off. */
                    captionLanguage: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audioLanguage: string | null;
                        captionLanguage: string | null;
                        profileId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The profile is not on this account (ProfileNotFound). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAccountsByaccountIdProfilesByprofileIdMaturity: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                accountId: string;
                profileId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description The highest rating the profile may watch.
                     * @enum {string}
                     */
                    maturityLevel: "all" | "7+" | "13+" | "16+" | "18+";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        maturityLevel: "all" | "7+" | "13+" | "16+" | "18+";
                        profileId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The profile is not on this account (ProfileNotFound). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A kids profile cannot be raised above 7+ (KidsMaturityCapExceeded). */
            422: {
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
    postLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accountId: string;
                        plan: ("basic" | "standard" | "premium") | null;
                        /** @description An access token: send it as `Authorization: Bearer <token>`. */
                        token: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The email address or password is wrong. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts from this address. */
            429: {
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
    postPlayback: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    profileId: string;
                    /** @description The viewer's region, to prefer edges near them. */
                    region?: string;
                    titleId: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        encodingId: string;
                        leaseExpiresAt: string | null;
                        /** @description Ranked: edges first, the origin last. Each URL is `<server>/c/<token>/<titleId>/<encodingId>/<file>`, so any DASH or HLS player can play it as it is. */
                        manifests: {
                            /** @description The DASH manifest (`…/manifest.mpd`), the content token in its path. */
                            dash: string;
                            /** @description null for the origin. */
                            edgeId: string | null;
                            /** @description The HLS master playlist (`…/master.m3u8`), the content token in its path. */
                            hls: string;
                            region: string | null;
                        }[];
                        /** @description The tallest rung this session may fetch: the plan's height cap. */
                        maxHeight: number | null;
                        resumeFromSeconds: number;
                        sessionId: string;
                        titleId: string;
                        /** @description The content token, in the path of every URL above; heartbeats answer a fresh one before it expires. */
                        token: string;
                        tokenExpiresAt: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The profile is not on this account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The plan's streams are all in use, the subscription is not active, the title (or an episode's series) is not available, or the title is rated above the profile's maturity level (AboveMaturityLevel). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postPlaybackBysessionIdProgress: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    positionSeconds: number;
                    profileId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Until when the stream slot is kept, when the heartbeat renewed it. */
                        leaseExpiresAt?: string;
                        positionSeconds: number;
                        sessionId: string;
                        /** @description A fresh content token for the session, with the same grant. */
                        token: string;
                        tokenExpiresAt: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description No such session on this account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The session expired or stopped, or the title is no longer available: no token is renewed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postPlaybackBysessionIdQoe: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    averageBitrateKbps: number;
                    /** @description The edge that served most of the session; null for the origin. */
                    edgeId: string | null;
                    profileId: string;
                    rebufferCount: number;
                    rebufferMs: number;
                    startupMs: number;
                    switches: number;
                    watchedSeconds: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        recorded: true;
                        sessionId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postPlaybackBysessionIdStop: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    positionSeconds: number;
                    profileId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        positionSeconds: number;
                        sessionId: string;
                        /** @constant */
                        stopped: true;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Nothing has the id in the path. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
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
    postSeries: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    genres: string[];
                    /** @enum {string} */
                    maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                    name: string;
                    /** @default  */
                    synopsis?: string;
                    year: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        genres: string[];
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        seriesId: string;
                        synopsis: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchSeriesByseriesId: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                seriesId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    genres?: string[];
                    /** @enum {string} */
                    maturityRating?: "all" | "7+" | "13+" | "16+" | "18+";
                    name?: string;
                    synopsis?: string;
                    year?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        genres: string[];
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        seriesId: string;
                        synopsis: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The update names no field (NothingToUpdate). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSeriesByseriesIdEpisodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                seriesId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    episode: number;
                    /** @description The series' genres when absent. */
                    genres?: string[];
                    /**
                     * @description The series' rating when absent; viewers are held to the stricter of this and the series'.
                     * @enum {string}
                     */
                    maturityRating?: "all" | "7+" | "13+" | "16+" | "18+";
                    name: string;
                    season: number;
                    /** @description The series' synopsis when absent. */
                    synopsis?: string;
                    /** @description The series' year when absent. */
                    year?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        episode: number;
                        season: number;
                        seriesId: string;
                        titleId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description There is no such series (SeriesNotFound). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Another title already holds that season and episode number (EpisodePlaceTaken). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSeriesByseriesIdPublish: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                seriesId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        published: true;
                        seriesId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The series is already published (SeriesAlreadyPublished). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSeriesByseriesIdUnpublish: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                seriesId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        published: false;
                        seriesId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The series is not published (SeriesNotPublished). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTitles: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    genres: string[];
                    /** @enum {string} */
                    maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                    name: string;
                    /** @default  */
                    synopsis?: string;
                    year: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        genres: string[];
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        synopsis: string;
                        titleId: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchTitlesBytitleId: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    genres?: string[];
                    /** @enum {string} */
                    maturityRating?: "all" | "7+" | "13+" | "16+" | "18+";
                    name?: string;
                    synopsis?: string;
                    year?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        genres: string[];
                        /** @enum {string} */
                        maturityRating: "all" | "7+" | "13+" | "16+" | "18+";
                        name: string;
                        synopsis: string;
                        titleId: string;
                        year: number;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTitlesBytitleIdAudioBylanguage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The track's language as a BCP 47 tag ("en", "fr", "pt-BR"); ISO 639-2 ("fre") is read too. */
                language: string;
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channels: number | null;
                        codec: string;
                        /** @description The canonical tag. */
                        language: string;
                        /** @description The language's name, as a menu shows it ("French"). */
                        name: string;
                        sha256: string;
                        sizeBytes: number;
                        titleId: string;
                        trackId: string;
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
            /** @description The file is larger than the upload limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an audio or video content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file holds no audio stream ffprobe can read (UnusableAudioTrack: the reason says why). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file arrived but was not recorded (AudioTrackNotRecorded): send it again with the same Idempotency-Key. */
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
    putTitlesBytitleIdCaptionsBylanguage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The captions' language as a BCP 47 tag ("en", "fr", "pt-BR"); ISO 639-2 ("fre") is read too. */
                language: string;
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
                        cueCount: number;
                        /** @description The canonical tag. */
                        language: string;
                        /** @description The language's name, as a menu shows it ("French"). */
                        name: string;
                        /** @description Of the WebVTT kept (after an SRT is converted and line endings normalised). */
                        sha256: string;
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
            /** @description The file is larger than 2 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not a captions content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file does not parse (InvalidCaptions: the line and the problem, details.line), or the language is not a language tag. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTitlesBytitleIdIntroAccept: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credits: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        intro: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        titleId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description Intro detection has proposed no intro for this title yet (NoIntroProposal); set it with PUT …/markers. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The proposed intro no longer fits the title, e.g. it ends after the credits start (InvalidMarkers). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTitlesBytitleIdMarkers: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The end credits, in seconds from the start; null when there are none. */
                    credits: {
                        endSeconds: number;
                        startSeconds: number;
                    } | null;
                    /** @description The intro, in seconds from the start; null when there is none. */
                    intro: {
                        endSeconds: number;
                        startSeconds: number;
                    } | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credits: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        intro: {
                            endSeconds: number;
                            startSeconds: number;
                        } | null;
                        titleId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A range ends before it starts, ends past the title’s encoded duration, or the intro ends after the credits start (InvalidMarkers, naming the field). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTitlesBytitleIdPublish: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        published: {
                            encodingId: string;
                            manifestPath: string;
                        } | null;
                        titleId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description No encoding has succeeded yet (the reason says why), or it is already published. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTitlesBytitleIdSource: {
        parameters: {
            query?: {
                /** @description The languages of the source's audio streams, in order, comma-separated ("en,fr"; "und" for one in no language): they override the streams' own tags. */
                audioLanguages?: string;
            };
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audioLanguages?: (string | null)[];
                        path: string;
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
                        titleId: string;
                        uploadId: string;
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
            /** @description The file is larger than the upload limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not a video content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not a video with a duration (NotAVideo: the reason says what ffprobe found), or audioLanguages does not name each of its audio streams (AudioLanguagesMismatch). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file arrived but was not recorded (SourceNotRecorded): send it again with the same Idempotency-Key. */
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
    postTitlesBytitleIdUnpublish: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal. */
                "Idempotency-Key"?: string;
            };
            path: {
                titleId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        published: null;
                        titleId: string;
                    };
                };
            };
            /** @description A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why. */
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
            /** @description The body is larger than this endpoint takes; the message says the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON (send Content-Type: application/json, in UTF-8). */
            415: {
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
