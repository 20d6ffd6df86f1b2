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

/** The package's files: manifests as above, random bytes standing in for media. */
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
];
