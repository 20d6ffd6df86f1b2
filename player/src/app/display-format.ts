/** How numbers read on screen. */

/** 3725 → "1:02:05", 65 → "1:05". */
export const clockTime = (totalSeconds: number): string => {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
};

/** 5400 → "1 h 30 min", 600 → "10 min". */
export const runtime = (totalSeconds: number | null): string => {
  if (totalSeconds === null || !Number.isFinite(totalSeconds)) return '';
  const minutes = Math.max(1, Math.round(totalSeconds / 60));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
};

/** 1536 → "1.5 KiB". */
export const byteSize = (bytes: number): string => {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
};

/** An ISO time as the viewer's locale writes a date and time. */
export const dateTime = (iso: string): string => new Date(iso).toLocaleString();

/** 0.0123 → "1.2%". */
export const percent = (ratio: number, digits = 1): string => `${(ratio * 100).toFixed(digits)}%`;

/** Season 1, episode 2 → "S1:E2". */
export const episodeCode = (season: number, episode: number): string => `S${season}:E${episode}`;
