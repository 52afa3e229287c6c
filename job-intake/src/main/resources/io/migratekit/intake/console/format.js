// How numbers, times and durations read in the console.

export function bytes(value) {
  if (value === null || value === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
  return (unit === 0 ? n : n.toFixed(1)) + ' ' + units[unit];
}

export function seconds(value) {
  if (value === null || value === undefined || !isFinite(value)) return '—';
  let s = Math.max(0, Math.round(value));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** Seconds between two ISO-8601 instants, or null. */
export function between(start, end) {
  if (!start || !end) return null;
  return (Date.parse(end) - Date.parse(start)) / 1000;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
}

export function mbps(value) {
  return value === null || value === undefined || value === 0 ? '—' : Number(value).toFixed(1) + ' MB/s';
}
