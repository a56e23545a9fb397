// One logger: a line per event, JSON in production (one object per line) or short text for a terminal.
// Everything passes through redact(), so a token or key in a URL never reaches the log.
type Level = 'info' | 'warn' | 'error';
let json = false;
let infoToo = true;

export function setLogFormat(format: 'json' | 'pretty') {
  json = format === 'json';
}

/** In-process tests keep warnings and errors only (a line per request would bury the results). */
export function quietInfo() {
  infoToo = false;
}

const SECRET_PARAMS = /([?&](?:token|key|lastEventId)=)[^&\s"]+/gi;
const secrets = new Set<string>();

/** Registers a secret value that must never be printed. */
export function hideInLogs(value: string) {
  if (value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
  let out = text.replace(SECRET_PARAMS, '$1[redacted]');
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

export function log(level: Level, code: string, message: string, fields: Record<string, unknown> = {}) {
  if (level === 'info' && !infoToo) return;
  const line = json
    ? JSON.stringify({ time: new Date().toISOString(), level, code, message, ...fields })
    : `${new Date().toISOString().slice(11, 19)} ${level === 'info' ? '' : level.toUpperCase() + ' '}${code}: ${message}${
        Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''
      }`;
  (level === 'info' ? process.stdout : process.stderr).write(redact(line) + '\n');
}
