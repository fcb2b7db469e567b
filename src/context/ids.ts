// File ids in the context model are '/'-separated: paths in the CLI, URI strings in the editor.

/** The folder of a '/'-separated id, ending with '/'. */
export function folderOfId(id: string): string {
  return id.slice(0, id.lastIndexOf('/') + 1);
}

/** The last segment of a '/'-separated id. */
export function baseNameOfId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** `base` (ending with '/') joined with a relative path, `.` and `..` resolved. */
export function joinFolder(base: string, relative: string): string {
  if (/^(?:[a-z][\w+.-]*:|\/)/i.test(relative)) {
    return relative.endsWith('/') ? relative : `${relative}/`;
  }
  const head = /^(?:[a-z][\w+.-]*:\/\/[^/]*)?/i.exec(base)?.[0] ?? '';
  const parts = base.slice(head.length).split('/');
  parts.pop();
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length > 1) {
        parts.pop();
      }
    } else {
      parts.push(part);
    }
  }
  return `${head}${parts.join('/')}/`;
}

/** A file `relative` to the folder `base` (ending with '/'), as an id. */
export function joinFile(base: string, relative: string): string {
  return joinFolder(base, relative).slice(0, -1);
}
