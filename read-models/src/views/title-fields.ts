/** The encoder writes the poster beside the manifest. */
export const posterPathOf = (manifestPath: string) =>
  `${manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1)}poster.jpg`;
