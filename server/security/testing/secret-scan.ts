// Searches responses, pages, bundles and logs for secrets: each secret as written, URL-encoded, JSON-escaped
// and base64-encoded, plus anything shaped like a Google API key. For the "nothing leaks" tests.

export interface Haystack {
  /** Where the text came from, for the failure message ("GET /api/health body", "server log"). */
  where: string;
  text: string;
}

const GOOGLE_API_KEY = /AIza[0-9A-Za-z_-]{35}/;

function encodings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url').replace(/=+$/, ''),
  ];
}

/** One line per leak: "<name> in <where>". Secrets shorter than 8 characters are skipped (they match by chance). */
export function findSecrets(haystacks: Haystack[], secrets: Record<string, string>): string[] {
  const leaks: string[] = [];
  for (const { where, text } of haystacks) {
    for (const [name, secret] of Object.entries(secrets)) {
      if (secret.length >= 8 && encodings(secret).some((form) => text.includes(form)))
        leaks.push(`${name} in ${where}`);
    }
    if (GOOGLE_API_KEY.test(text)) leaks.push(`a Google API key in ${where}`);
  }
  return leaks;
}

/** A response as text: status, every header (Set-Cookie included) and the body. Consumes the body. */
export async function responseHaystack(where: string, res: Response): Promise<Haystack> {
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  return { where, text: `${res.status}\n${headers}\n\n${await res.text()}` };
}
