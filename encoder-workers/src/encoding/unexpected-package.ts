/** ffmpeg wrote a package whose manifest, playlists or file names the packager does not understand. */
export class UnexpectedPackage extends Error {
  readonly code = 'UnexpectedPackage';
  constructor(readonly problem: string) {
    super(`ffmpeg wrote a package the packager does not understand: ${problem}`);
    this.name = 'UnexpectedPackage';
  }
}
