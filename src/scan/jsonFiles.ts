// JSON(C) files with ports in known places: package.json scripts, .vscode/launch.json, devcontainer.json.
// jsonc-parser gives exact offsets, accepts comments and trailing commas, and still returns a
// partial tree for malformed text, which is what an editor shows while someone is typing.

import { Node, parseTree } from 'jsonc-parser';
import { logFailure } from '../model/log';
import { findCodePortsInLine } from './code';
import { dedupeMentions, FileKind, PortMention, PortRole, pushAll } from './mention';
import { isPortLikeName } from './names';
import { readPortSpec, specMention } from './portSpec';
import { findPortsInValue } from './values';

/** jsonc-parser recurses per nesting level; real package.json and launch.json files nest a few levels. */
const MAX_JSON_DEPTH = 1000;

/** The deepest bracket nesting outside strings, counted up to `limit`. */
function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) {
        return true;
      }
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return false;
}

function parse(text: string): Node | undefined {
  if (nestingExceeds(text, MAX_JSON_DEPTH)) {
    return undefined;
  }
  try {
    return parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    logFailure('the JSON parser', error);
    return undefined;
  }
}

function keyOf(node: Node): string | undefined {
  const property = node.parent;
  if (property?.type === 'property' && property.children?.[1] === node) {
    const key = property.children[0]?.value as unknown;
    return typeof key === 'string' ? key : undefined;
  }
  return undefined;
}

function child(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') {
    return undefined;
  }
  for (const property of node.children ?? []) {
    if (property.children?.[0]?.value === key) {
      return property.children[1];
    }
  }
  return undefined;
}

// The characters between a string literal's quotes, as written (escapes included), and their offset.
function rawString(text: string, node: Node): { raw: string; start: number } {
  return { raw: text.slice(node.offset + 1, node.offset + node.length - 1), start: node.offset + 1 };
}

function numberMention(
  text: string,
  node: Node,
  role: PortRole,
  kind: FileKind,
  variable?: string,
): PortMention | undefined {
  const spec = readPortSpec(text, node.offset, node.offset + node.length, true);
  if (!spec || spec.end !== node.offset + node.length) {
    return undefined;
  }
  // Malformed JSON like `0x1F90` or `8080abc` tokenizes as a number followed by junk: no port.
  if (/[\w.]/.test(text[node.offset + node.length] ?? '')) {
    return undefined;
  }
  return specMention(spec, 0, role, kind, variable);
}

// Strings under these keys are command lines or argv arrays, read like shell code.
function isCommandKey(key: string | undefined): boolean {
  return (
    key !== undefined &&
    (/command$/i.test(key) || ['args', 'runtimeArgs', 'runArgs', 'program', 'cmd'].includes(key))
  );
}

/**
 * Generic walk for the JSON finders: port-like keys with numbers (`"port": 9229`) as `numberRole`,
 * command strings and argv arrays through the code finder, other strings through {@link findPortsInValue}.
 */
function walk(
  text: string,
  node: Node | undefined,
  kind: FileKind,
  numberRole: PortRole,
  out: PortMention[],
): void {
  if (!node) {
    return;
  }
  switch (node.type) {
    case 'object':
      for (const property of node.children ?? []) {
        walk(text, property.children?.[1], kind, numberRole, out);
      }
      return;
    case 'array': {
      const key = keyOf(node);
      if (isCommandKey(key) && (node.children ?? []).every((c) => c.type === 'string')) {
        // `["--port", "3000"]` only reads as a flag and its value when the elements are read together.
        const body = text.slice(node.offset + 1, node.offset + node.length - 1);
        pushAll(out, findCodePortsInLine(body, node.offset + 1, kind, { containerRun: key === 'runArgs' }));
        return;
      }
      for (const item of node.children ?? []) {
        if (item.type === 'number' && key !== undefined && isPortLikeName(key)) {
          const m = numberMention(text, item, numberRole, kind, key);
          if (m) {
            out.push(m);
          }
        } else {
          walk(text, item, kind, numberRole, out);
        }
      }
      return;
    }
    case 'number': {
      const key = keyOf(node);
      if (key !== undefined && isPortLikeName(key)) {
        const m = numberMention(text, node, numberRole, kind, key);
        if (m) {
          out.push(m);
        }
      }
      return;
    }
    case 'string': {
      const key = keyOf(node);
      const { raw, start } = rawString(text, node);
      if (isCommandKey(key)) {
        pushAll(out, findCodePortsInLine(raw, start, kind));
      } else {
        pushAll(
          out,
          findPortsInValue(raw, start, kind, key).map((m) =>
            m.role === 'setting' ? { ...m, role: numberRole } : m,
          ),
        );
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Ports in package.json: every `scripts` entry read as a command line (`vite --port 5173`,
 * `next dev -p 3001`, `PORT=4000 node app.js`, `node --inspect=0.0.0.0:9229`), plus `config`/`proxy`
 * values and port-like keys anywhere (`"port": 8080`). Dependencies are skipped.
 */
export function findPackageJsonPorts(text: string): PortMention[] {
  const root = parse(text);
  const out: PortMention[] = [];
  if (root?.type !== 'object') {
    return out;
  }
  for (const property of root.children ?? []) {
    const key = property.children?.[0]?.value as unknown;
    const value = property.children?.[1];
    if (
      !value ||
      typeof key !== 'string' ||
      /dependencies$/i.test(key) ||
      key === 'overrides' ||
      key === 'resolutions'
    ) {
      continue;
    }
    if (key === 'scripts' && value.type === 'object') {
      for (const script of value.children ?? []) {
        const body = script.children?.[1];
        if (body?.type === 'string') {
          const { raw, start } = rawString(text, body);
          pushAll(out, findCodePortsInLine(raw, start, 'packagejson'));
        }
      }
      continue;
    }
    walk(text, value, 'packagejson', 'setting', out);
  }
  return dedupeMentions(out);
}

/**
 * Ports in .vscode/launch.json: `"port": 9229` (role `connect` in `"request": "attach"`
 * configurations, `setting` otherwise), URLs (`"url": "http://localhost:3000"`), `env` port
 * variables, and `--inspect=9229` style runtime arguments.
 */
export function findLaunchJsonPorts(text: string): PortMention[] {
  const root = parse(text);
  const out: PortMention[] = [];
  const configurations = child(root, 'configurations');
  for (const config of configurations?.children ?? []) {
    const attach = child(config, 'request')?.value === 'attach';
    walk(text, config, 'launchjson', attach ? 'connect' : 'setting', out);
  }
  for (const property of root?.type === 'object' ? (root.children ?? []) : []) {
    if (property.children?.[0]?.value !== 'configurations') {
      walk(text, property.children?.[1], 'launchjson', 'setting', out);
    }
  }
  return dedupeMentions(out);
}

/**
 * Ports in devcontainer.json: `forwardPorts: [3000, "db:5432"]` (role `publish`, `service: "db"`),
 * `appPort: 3000 | "8080:80" | [...]` (publish/target), `portsAttributes` keys (`"3000"`,
 * `"5000-5010"`) as `setting`, env port variables, `runArgs` (`-p 8080:80`) and lifecycle commands.
 */
export function findDevcontainerPorts(text: string): PortMention[] {
  const root = parse(text);
  const out: PortMention[] = [];
  if (root?.type !== 'object') {
    return out;
  }
  const kind: FileKind = 'devcontainer';
  for (const property of root.children ?? []) {
    const key = property.children?.[0]?.value as unknown;
    const value = property.children?.[1];
    if (!value || typeof key !== 'string') {
      continue;
    }
    if (key === 'forwardPorts' || key === 'appPort') {
      const items = value.type === 'array' ? (value.children ?? []) : [value];
      for (const item of items) {
        pushAll(out, forwardedPort(text, item, kind, key === 'appPort'));
      }
    } else if (key === 'portsAttributes' && value.type === 'object') {
      for (const attribute of value.children ?? []) {
        const name = attribute.children?.[0];
        if (name?.type === 'string') {
          const { raw, start } = rawString(text, name);
          const spec = readPortSpec(raw, 0);
          if (spec && spec.end === raw.length) {
            out.push(specMention(spec, start, 'setting', kind));
          } else {
            pushAll(
              out,
              forwardedPort(text, name, kind, false).map((m) => ({ ...m, role: 'setting' as const })),
            );
          }
        }
      }
    } else {
      walk(text, value, kind, 'setting', out);
    }
  }
  return dedupeMentions(out);
}

// `3000`, `"3000"`, `"db:5432"` (forwardPorts) or `"8080:80"` (appPort, publish:target).
function forwardedPort(text: string, node: Node, kind: FileKind, appPort: boolean): PortMention[] {
  if (node.type === 'number') {
    const m = numberMention(text, node, 'publish', kind);
    return m ? [{ ...m, counterpart: { port: m.port } }] : [];
  }
  if (node.type !== 'string') {
    return [];
  }
  const { raw, start } = rawString(text, node);
  const whole = readPortSpec(raw, 0);
  if (whole && whole.end === raw.length) {
    const m = specMention(whole, start, 'publish', kind);
    return [{ ...m, counterpart: { port: m.port } }];
  }
  const colon = raw.lastIndexOf(':');
  if (colon <= 0) {
    return [];
  }
  const right = readPortSpec(raw, colon + 1);
  if (!right || right.end !== raw.length) {
    return [];
  }
  const left = raw.slice(0, colon);
  const leftSpec = readPortSpec(raw, 0, colon);
  if (appPort && leftSpec && leftSpec.end === colon) {
    const publish = specMention(leftSpec, start, 'publish', kind);
    const target = specMention(right, start, 'target', kind);
    publish.counterpart = { port: target.port };
    target.counterpart = { port: publish.port };
    return [publish, target];
  }
  if (/^[A-Za-z0-9_.-]+$/.test(left) && /[A-Za-z]/.test(left)) {
    // `"db:5432"` forwards a port of another compose service.
    const m = specMention(right, start, 'publish', kind);
    return [{ ...m, service: left, counterpart: { port: m.port } }];
  }
  return [];
}
