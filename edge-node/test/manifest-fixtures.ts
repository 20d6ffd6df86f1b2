/*
 * A package's manifests as the encoder writes them (ffmpeg 5.1 dashenc with hls_playlist,
 * representations named by rung): three video rungs and one audio track, 2 s of 1 s segments.
 */

export const storedMpd = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
	xmlns="urn:mpeg:dash:schema:mpd:2011"
	xmlns:xlink="http://www.w3.org/1999/xlink"
	xsi:schemaLocation="urn:mpeg:DASH:schema:MPD:2011 http://standards.iso.org/ittf/PubliclyAvailableStandards/MPEG-DASH_schema_files/DASH-MPD.xsd"
	profiles="urn:mpeg:dash:profile:isoff-live:2011"
	type="static"
	mediaPresentationDuration="PT2.0S"
	maxSegmentDuration="PT1.0S"
	minBufferTime="PT2.0S">
	<ProgramInformation>
	</ProgramInformation>
	<ServiceDescription id="0">
	</ServiceDescription>
	<Period id="0" start="PT0.0S">
		<AdaptationSet id="0" contentType="video" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" frameRate="25/1" maxWidth="1920" maxHeight="1080" par="16:9">
			<Representation id="v240" mimeType="video/mp4" codecs="avc1.42c00d" bandwidth="300000" width="426" height="240" sar="1:1">
				<SegmentTemplate timescale="1000000" duration="1000000" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1">
				</SegmentTemplate>
			</Representation>
			<Representation id="v720" mimeType="video/mp4" codecs="avc1.42c01f" bandwidth="1500000" width="1280" height="720" sar="1:1">
				<SegmentTemplate timescale="1000000" duration="1000000" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1">
				</SegmentTemplate>
			</Representation>
			<Representation id="v1080" mimeType="video/mp4" codecs="avc1.42c028" bandwidth="3000000" width="1920" height="1080" sar="1:1">
				<SegmentTemplate timescale="1000000" duration="1000000" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1">
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="1" contentType="audio" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true">
			<Representation id="a0" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="96000" audioSamplingRate="44100">
				<AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="1" />
				<SegmentTemplate timescale="1000000" duration="1000000" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1">
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
	</Period>
</MPD>
`;

export const storedMaster = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_0",DEFAULT=YES,URI="media-a0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=401130,RESOLUTION=426x240,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="group_A1"
media-v240.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=1601130,RESOLUTION=1280x720,CODECS="avc1.42c01f,mp4a.40.2",AUDIO="group_A1"
media-v720.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=3098818,RESOLUTION=1920x1080,CODECS="avc1.42c028,mp4a.40.2",AUDIO="group_A1"
media-v1080.m3u8

`;

export const storedMediaPlaylist = (rung: string) => `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init-${rung}.m4s"
#EXTINF:1.000000,
segment-${rung}-00001.m4s
#EXTINF:1.000000,
segment-${rung}-00002.m4s
#EXT-X-ENDLIST
`;

/** The package's files: manifests as above, random bytes standing in for media and sprites. */
export const ladderPackage = (segmentBytes = 20_000) => [
  { path: 'manifest.mpd', text: storedMpd },
  { path: 'master.m3u8', text: storedMaster },
  { path: 'poster.jpg', bytes: 5_000 },
  ...['v240', 'v720', 'v1080', 'a0'].flatMap((rung) => [
    { path: `media-${rung}.m3u8`, text: storedMediaPlaylist(rung) },
    { path: `init-${rung}.m4s`, bytes: 800 },
    { path: `segment-${rung}-00001.m4s`, bytes: segmentBytes },
    { path: `segment-${rung}-00002.m4s`, bytes: segmentBytes },
  ]),
  { path: 'captions-en.vtt', text: storedCaptions('en') },
  { path: 'captions-en.m3u8', text: storedCaptionsPlaylist('en') },
  { path: 'thumbnails-1.jpg', bytes: 3_000 },
  { path: 'thumbnails.m3u8', text: storedThumbnailsPlaylist },
];

/*
 * The same package with what issue 16 adds, as the package contract lays it out: two audio
 * tracks (English main, French dub), captions in two languages (a WebVTT sidecar each, and an
 * HLS subtitles playlist) and seek-preview sprites (a DASH-IF thumbnail set; an HLS image playlist).
 */

const audioSet = (
  n: number,
  tag: string,
  name: string,
  role: string,
) => `		<AdaptationSet id="${n}" contentType="audio" lang="${tag}" startWithSAP="1" segmentAlignment="true">
			<Role schemeIdUri="urn:mpeg:dash:role:2011" value="${role}"/>
			<Label>${name}</Label>
			<Representation id="a${n - 1}" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="96000" audioSamplingRate="48000">
				<AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2" />
				<SegmentTemplate timescale="1000000" duration="1000000" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1">
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
`;

const textSet = (
  n: number,
  tag: string,
  name: string,
) => `		<AdaptationSet id="${n}" contentType="text" mimeType="text/vtt" lang="${tag}">
			<Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>
			<Label>${name}</Label>
			<Representation id="captions-${tag}" bandwidth="256">
				<BaseURL>captions-${tag}.vtt</BaseURL>
			</Representation>
		</AdaptationSet>
`;

/** 5×4 tiles of 160×90, one every 2 s: the sprite is 800×360, taller than a 240p cap. */
export const thumbnailGrid = { columns: 5, rows: 4, tileWidth: 160, tileHeight: 90, intervalSeconds: 2 };

const imageSet = (n: number) => `		<AdaptationSet id="${n}" contentType="image" mimeType="image/jpeg">
			<SegmentTemplate media="thumbnails-$Number$.jpg" timescale="1" duration="40" startNumber="1"/>
			<Representation id="thumbnails" bandwidth="12288" width="800" height="360">
				<EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="5x4"/>
			</Representation>
		</AdaptationSet>
`;

const videoSetEnd = storedMpd.indexOf('\t\t<AdaptationSet id="1"');

export const storedMpdWithTracks = `${storedMpd.slice(0, videoSetEnd)}${audioSet(1, 'en', 'English', 'main')}${audioSet(2, 'fr', 'French', 'dub')}${textSet(3, 'en', 'English')}${textSet(4, 'fr', 'French')}${imageSet(5)}	</Period>
</MPD>
`;

export const storedMasterWithTracks = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media-a0.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="media-a1.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="captions-en.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,URI="captions-fr.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=401130,RESOLUTION=426x240,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="audio",SUBTITLES="subs"
media-v240.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=1601130,RESOLUTION=1280x720,CODECS="avc1.42c01f,mp4a.40.2",AUDIO="audio",SUBTITLES="subs"
media-v720.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=3098818,RESOLUTION=1920x1080,CODECS="avc1.42c028,mp4a.40.2",AUDIO="audio",SUBTITLES="subs"
media-v1080.m3u8
#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12288,RESOLUTION=800x360,CODECS="jpeg",URI="thumbnails.m3u8"
`;

export const storedCaptions = (tag: string) => `WEBVTT

00:00:00.500 --> 00:00:01.500
${tag === 'fr' ? 'Bonjour, ça va ?' : 'Hello, how are you?'}
`;

export const storedCaptionsPlaylist = (tag: string) => `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:2.000,
captions-${tag}.vtt
#EXT-X-ENDLIST
`;

export const storedThumbnailsPlaylist = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:40
#EXT-X-IMAGES-ONLY
#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x4,DURATION=2
#EXTINF:40.000,
thumbnails-1.jpg
#EXT-X-ENDLIST
`;
