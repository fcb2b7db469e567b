// User names for uids, from /etc/passwd. Read once per path: accounts rarely change while we run,
// and NSS (LDAP, systemd-homed) users simply show as their number.

import { readFileSync } from 'node:fs';
import { logFailure } from '../model/log';

const cache = new Map<string, Map<number, string>>();

/** Parses passwd text (`name:x:uid:gid:...`), skipping comments and malformed lines. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      continue;
    }
    const fields = line.split(':');
    if (fields.length < 3 || fields[0] === '' || !/^\d+$/.test(fields[2]!)) {
      continue;
    }
    const uid = Number(fields[2]);
    // uid_t is 32 bits; a longer number is a broken line, not an account.
    if (uid > 0xffffffff) {
      continue;
    }
    // The first entry wins, as getpwuid does.
    if (!names.has(uid)) {
      names.set(uid, fields[0]!);
    }
  }
  return names;
}

export function userNameForUid(uid: number, passwdPath = '/etc/passwd'): string | undefined {
  let names = cache.get(passwdPath);
  if (!names) {
    try {
      names = parsePasswd(readFileSync(passwdPath, 'utf8'));
    } catch (error) {
      logFailure('reading user names', error, { file: passwdPath, level: 'debug' });
      names = new Map();
    }
    cache.set(passwdPath, names);
  }
  return names.get(uid);
}
