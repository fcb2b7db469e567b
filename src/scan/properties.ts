// Java `.properties` files (Spring Boot, Kafka, Flink, …): `key=value`, `key: value`, `key value`.

import { dedupeMentions, FileKind, PortMention, pushAll } from './mention';
import { splitLines } from './lines';
import { isPortLikeName } from './names';
import { findPortsInValue } from './values';

const KIND: FileKind = 'properties';

/**
 * Ports in a `.properties` file: port keys (`server.port=8081`, `management.server.port: 9001`) as
 * `setting`, URLs and `host:port` in any value (`spring.datasource.url=jdbc:postgresql://localhost:5432/db`,
 * `bootstrap.servers=kafka:9092`) as `connect`, and Spring defaults `${PORT:8080}` (`isDefault`).
 * `#`/`!` comments are skipped; a continued line (`\` at the end) is read as part of the value.
 */
export function findPropertiesPorts(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  let continued = false;
  let key: string | undefined;
  for (const line of splitLines(text)) {
    const wasContinued = continued;
    continued = line.text.endsWith('\\') && /(^|[^\\])(\\\\)*\\$/.test(line.text);
    if (wasContinued) {
      pushAll(mentions, findPortsInValue(stripContinuation(line.text), line.start, KIND, key));
      continue;
    }
    if (/^\s*([#!]|$)/.test(line.text)) {
      key = undefined;
      continue;
    }
    const m = /^(\s*)((?:\\.|[^\s=:\\])+)\s*[=:\s]\s*/.exec(line.text);
    if (!m) {
      continue;
    }
    key = m[2]!.includes('\\') ? m[2]!.replace(/\\(.)/g, '$1') : m[2]!;
    const valueStart = m[0].length;
    const value = stripContinuation(line.text.slice(valueStart));
    pushAll(mentions, findPortsInValue(value, line.start + valueStart, KIND, key));
    if (value.includes('${')) {
      pushAll(mentions, springDefaults(value, line.start + valueStart, key));
    }
  }
  return dedupeMentions(mentions);
}

function stripContinuation(value: string): string {
  return value.endsWith('\\') ? value.slice(0, -1) : value;
}

// `${PORT:8080}` and `${server.port:8080}`: Spring's placeholder with a default after one colon.
function springDefaults(value: string, base: number, key: string): PortMention[] {
  const found: PortMention[] = [];
  const re = /\$\{([\w.-]{1,128}):(\d{1,6})\}/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (!isPortLikeName(m[1]!) && !isPortLikeName(key)) {
      continue;
    }
    const s = base + m.index + m[0].length - 1 - m[2]!.length;
    const mention: PortMention = {
      port: Number(m[2]),
      role: 'setting',
      kind: KIND,
      variable: m[1],
      isDefault: true,
      range: { start: s, end: s + m[2]!.length },
    };
    // `http://api:${API_PORT:9000}/v1`: the placeholder is a URL's port.
    const url = /([a-z][\w+.-]*):\/\/(?:[^\s/@]*@)?([\w.-]+|\[[0-9A-Fa-f:.]+\]):$/i.exec(
      value.slice(Math.max(0, m.index - 300), m.index),
    );
    if (url) {
      mention.role = 'connect';
      mention.scheme = url[1]!.toLowerCase();
      mention.host = url[2]!.replace(/^\[|\]$/g, '');
    }
    found.push(mention);
  }
  return found;
}
