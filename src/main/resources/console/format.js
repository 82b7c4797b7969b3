// Pure helpers of the console: no DOM, no network, so they are unit-tested in Node (src/test/console/unit).

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** "12 s ago", "3 min ago", "in 40 s"; '' for no time. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const seconds = Math.round((now - t) / 1000);
  const abs = Math.abs(seconds);
  let text;
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.floor(abs / 3600)} h`;
  else text = `${Math.floor(abs / 86400)} d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** A local date and time, "2026-12-01 10:04:05", stable for screenshots and tests. */
export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** 980 B, 12.3 kB, 4.0 MB. */
export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '';
  const v = Number(n);
  if (v < 1000) return `${v} B`;
  if (v < 1000 * 1000) return `${(v / 1000).toFixed(1)} kB`;
  if (v < 1000 * 1000 * 1000) return `${(v / 1000 / 1000).toFixed(1)} MB`;
  return `${(v / 1000 / 1000 / 1000).toFixed(1)} GB`;
}

/** Why an attachment did not reach the agent, in words ("too_large" -> "too large"). */
export function skippedReason(reason) {
  if (!reason) return '';
  const known = {
    too_large: 'too large (over EMAIL_MAX_ATTACHMENT_BYTES)',
    quoted_history: 'belongs to the quoted history',
    forwarded_message: 'belongs to a forwarded message',
    duplicate: 'already received earlier in the session',
  };
  return known[reason] || String(reason).replaceAll('_', ' ');
}

/**
 * One log line "<time> LEVEL <rest>" (the channel writes "2026-12-01T10:00:00.123Z INFO  [thread] Logger - text",
 * stack traces on following lines) as {time, level, text, raw}; a line without a level keeps level null.
 */
export function parseLogLine(raw) {
  // the time: digits and the signs of a timestamp only, so that "INFO" in a message is not taken for the level
  const m = /^(\d[\d:.,+\-TZ ]{0,39}?)\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+([\s\S]*)$/.exec(raw);
  if (!m) return { time: '', level: null, text: raw, raw };
  return { time: m[1], level: m[2], text: m[3], raw };
}

/** Whether a line's level is at least the minimum ('' or null: everything). */
export function atLeast(level, minimum) {
  if (!minimum) return true;
  if (!level) return false;
  return LEVELS.indexOf(level) >= LEVELS.indexOf(minimum);
}

/** The parsed lines that pass the filters: minimum level, a mailbox address, a text (both case-insensitive). */
export function filterLogLines(lines, { level = '', mailbox = '', text = '' } = {}) {
  const box = mailbox.trim().toLowerCase();
  const needle = text.trim().toLowerCase();
  return lines.map(parseLogLine).filter((l) => atLeast(l.level, level)
    && (!box || l.raw.toLowerCase().includes(box))
    && (!needle || l.raw.toLowerCase().includes(needle)));
}

/** The token of a URL fragment "#token=…" (also "#a=b&token=…"), or null. */
export function tokenFromFragment(hash) {
  if (!hash || hash.length < 2) return null;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}

/** The console's route from the location hash: {view, id}; "#/sessions/abc" -> {view: 'sessions', id: 'abc'}. */
export function route(hash) {
  const path = (hash || '').replace(/^#\/?/, '').split('?')[0];
  const [view, ...rest] = path.split('/');
  const views = ['connection', 'sessions', 'logs', 'problems'];
  if (!views.includes(view)) return { view: 'connection', id: null };
  const id = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { view, id: id || null };
}

/** The first value of a field the API names differently across versions ("created_at" before "at"). */
export function field(object, ...names) {
  for (const n of names) {
    if (object && object[n] !== undefined && object[n] !== null) return object[n];
  }
  return null;
}

/** An address value of the API ("a@b" or {address, name}) as text: "Jane Doe <jane@example.com>". */
export function address(value) {
  if (!value) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(address).join(', ');
  const a = value.address || '';
  return value.name ? `${value.name} <${a}>` : a;
}
